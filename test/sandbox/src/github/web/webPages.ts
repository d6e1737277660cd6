import { URLSearchParams } from 'node:url';
import { readBody, Request, Response } from '../../util/http';
import { Params, Router } from '../../util/router';
import { mergePull } from '../mergePull';
import { GitHubApiError } from '../model';
import type { GitHubStore, RepoState } from '../store';
import { markup, page } from './html';
import { renderPullPage } from './pullPage';
import { renderBlobPage, renderCommitPage, renderRepoPage } from './repoPages';

interface WebRequest {
  req: Request;
  state: RepoState;
  params: Params;
}

interface WebAnswer {
  status: number;
  body?: string;
  location?: string;
}

type WebHandler = (request: WebRequest) => Promise<WebAnswer>;

// Pages embed no script; Markdown images may come from anywhere over http(s).
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src http: https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

const notFound = (what: string): WebAnswer => ({
  status: 404,
  body: page({
    title: 'Not Found',
    body: markup`<h1>Not Found</h1>
      <p>${what}</p>`,
  }),
});

/**
 * The stand-in's web pages, at the `html_url`s its API hands out: repository, pull request
 * (with a Merge button that merges like the REST endpoint), file and commit views.
 * Server-rendered HTML without scripts; no sign-in, as the sandbox listens on localhost only.
 */
export class GitHubWebPages {
  private readonly router = new Router<WebHandler>();

  constructor(
    private readonly store: GitHubStore,
    private readonly webUrl: () => string,
  ) {
    const pullOf = (state: RepoState, number: string) =>
      state.pulls.find(p => String(p.number) === number);

    this.router.add('GET', '/:owner/:repo', async ({ state }) => ({
      status: 200,
      body: await renderRepoPage({ state, webUrl: this.webUrl() }),
    }));

    this.router.add('GET', '/:owner/:repo/pull/:number', async args => {
      const pull = pullOf(args.state, args.params.number);
      if (!pull) return notFound(`No pull request #${args.params.number}.`);
      return {
        status: 200,
        body: await renderPullPage({ state: args.state, pull }),
      };
    });

    this.router.add(
      'POST',
      '/:owner/:repo/pull/:number/merge',
      async ({ req, state, params }) => {
        const pull = pullOf(state, params.number);
        if (!pull) return notFound(`No pull request #${params.number}.`);
        const form = new URLSearchParams(
          (await readBody(req, 64 * 1024)).toString('utf8'),
        );
        try {
          await mergePull(this.store, state, pull, {
            sha: form.get('sha') ?? undefined,
            merge_method: form.get('merge_method') ?? undefined,
          });
        } catch (error) {
          if (!(error instanceof GitHubApiError)) throw error;
          return {
            status: error.status,
            body: await renderPullPage({
              state,
              pull,
              error: `Not merged: ${error.message}`,
            }),
          };
        }
        // Post/redirect/get: reloading the page does not merge again.
        return {
          status: 303,
          location: `/${state.record.owner}/${state.record.name}/pull/${pull.number}`,
        };
      },
    );

    this.router.add('GET', '/:owner/:repo/commit/:sha', async args => {
      const sha = await args.state.git.resolve(args.params.sha);
      if (!sha || (await args.state.git.objectType(sha)) !== 'commit')
        return notFound(`No commit ${args.params.sha}.`);
      return {
        status: 200,
        body: await renderCommitPage({ state: args.state, sha }),
      };
    });

    this.router.add('GET', '/:owner/:repo/blob/*rest', async args => {
      const found = await this.refAndPath(args.state, args.params.rest);
      const content = found
        ? await args.state.git.readFile(found.sha, found.path)
        : undefined;
      if (!found || !content)
        return notFound(`No file at ${args.params.rest}.`);
      return {
        status: 200,
        body: renderBlobPage({
          state: args.state,
          ref: found.ref,
          path: found.path,
          content,
        }),
      };
    });
  }

  /**
   * Answers a browser request for a page of a known repository; false when the path is
   * not one of the pages (or not a repository), so the caller answers 404.
   */
  async handle(req: Request, res: Response, path: string): Promise<boolean> {
    const repo = /^\/([^/]+)\/([^/]+)/.exec(path);
    const state = repo ? this.store.find(repo[1], repo[2]) : undefined;
    const match = state
      ? this.router.match(req.method ?? 'GET', path)
      : undefined;
    if (!state || !match) return false;
    if (match === 'method-not-allowed') {
      req.resume();
      res.writeHead(405, { allow: 'GET', 'content-type': 'text/plain' });
      res.end('Method Not Allowed');
      return true;
    }
    const answer = await match.handler({ req, state, params: match.params });
    if (answer.location) {
      res.writeHead(answer.status, { location: answer.location });
      res.end();
      return true;
    }
    res.writeHead(answer.status, {
      'content-type': 'text/html; charset=utf-8',
      ...SECURITY_HEADERS,
    });
    res.end(req.method === 'HEAD' ? undefined : answer.body);
    return true;
  }

  /** Splits `<ref>/<path>` where the ref may contain slashes (longest ref that resolves wins). */
  private async refAndPath(state: RepoState, rest: string) {
    const parts = rest.split('/');
    for (let i = parts.length - 1; i >= 1; i--) {
      const ref = parts.slice(0, i).join('/');
      const sha = await state.git.resolve(ref);
      if (sha) return { ref, sha, path: parts.slice(i).join('/') };
    }
    return undefined;
  }
}

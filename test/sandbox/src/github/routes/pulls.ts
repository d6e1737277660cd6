import type { Router } from '../../util/router';
import { ApiHandler, GitHubContext, ok } from '../context';
import { atomically } from '../atomically';
import { GitHubApiError, PullRecord } from '../model';
import type { RepoState } from '../store';
import { changedFiles } from './repos';
import { isMergeable, mergePull, pullShas } from '../mergePull';

const DOCS = 'https://docs.github.com/rest/pulls/pulls';
const nowIso = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const branchOf = (head: string) =>
  head.includes(':') ? head.slice(head.indexOf(':') + 1) : head;

/** Pull requests, issue comments, labels and review requests. */
export function registerPullRoutes(
  router: Router<ApiHandler>,
  gh: GitHubContext,
): void {
  const { store, shapes } = gh;

  const labelsOf = (state: RepoState, pull: PullRecord) =>
    pull.labels
      .map(name => state.labels.find(l => l.name === name)!)
      .filter(Boolean);

  const render = async (state: RepoState, pull: PullRecord, full = true) => {
    const heads = await pullShas(state, pull);
    let mergeable: boolean | null = null;
    let commits = 0;
    let files = 0;
    if (full) {
      mergeable = await isMergeable(state, pull);
      for (const entry of await state.git.log(heads.headSha, 100)) {
        if (await state.git.isAncestor(entry.oid, heads.baseSha)) break;
        commits++;
      }
      files = (
        await changedFiles(gh, state, heads.baseSha, heads.headSha).catch(
          () => [],
        )
      ).length;
    }
    const comments = state.comments.filter(
      c => c.issueNumber === pull.number,
    ).length;
    return shapes.pull(
      state.record,
      pull,
      heads,
      labelsOf(state, pull),
      { comments, commits, changedFiles: files, mergeable },
      full,
    );
  };

  router.add('POST', '/repos/:owner/:repo/pulls', async ({ params, body }) => {
    const state = gh.repo(params);
    const input = await body();
    const docs = `${DOCS}#create-a-pull-request`;
    const fail = (field: string) =>
      gh.validation('Validation Failed', docs, [
        { resource: 'PullRequest', field, code: 'invalid' },
      ]);
    if (typeof input.head !== 'string') throw fail('head');
    if (typeof input.base !== 'string') throw fail('base');
    if (typeof input.title !== 'string' && !input.issue) {
      throw gh.validation('Validation Failed', docs, [
        { resource: 'PullRequest', field: 'title', code: 'missing_field' },
      ]);
    }
    const head = branchOf(input.head);
    const headSha = await state.git.resolve(`refs/heads/${head}`);
    const baseSha = await state.git.resolve(`refs/heads/${input.base}`);
    if (!headSha) throw fail('head');
    if (!baseSha) throw fail('base');
    return atomically(state.record, async () => {
      if (
        state.pulls.some(
          p => p.state === 'open' && p.head === head && p.base === input.base,
        )
      ) {
        throw gh.validation('Validation Failed', docs, [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${state.record.owner}:${head}.`,
          },
        ]);
      }
      if (await state.git.isAncestor(headSha, baseSha)) {
        throw gh.validation('Validation Failed', docs, [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `No commits between ${input.base} and ${head}`,
          },
        ]);
      }
      const now = nowIso();
      const pull: PullRecord = {
        id: store.newId(),
        number: store.nextIssueNumber(state),
        title: input.title,
        body: input.body ?? null,
        state: 'open',
        head,
        base: input.base,
        user: store.botLogin,
        draft: Boolean(input.draft),
        merged: false,
        mergedAt: null,
        mergedBy: null,
        mergeCommitSha: null,
        closedAt: null,
        createdAt: now,
        updatedAt: now,
        labels: [],
        requestedReviewers: [],
        requestedTeams: [],
      };
      state.pulls.push(pull);
      store.countWrite(state);
      return ok(await render(state, pull), 201);
    });
  });

  router.add('GET', '/repos/:owner/:repo/pulls', async ({ params, url }) => {
    const state = gh.repo(params);
    const wanted = url.searchParams.get('state') ?? 'open';
    const head = url.searchParams.get('head');
    const base = url.searchParams.get('base');
    const perPage = Math.min(
      Number(url.searchParams.get('per_page') ?? 30),
      100,
    );
    const page = Math.max(Number(url.searchParams.get('page') ?? 1), 1);
    const matching = state.pulls
      .filter(p => wanted === 'all' || p.state === wanted)
      .filter(
        p =>
          !head ||
          (head.includes(':')
            ? `${state.record.owner}:${p.head}`.toLowerCase() ===
              head.toLowerCase()
            : p.head === head),
      )
      .filter(p => !base || p.base === base)
      .sort((a, b) =>
        url.searchParams.get('direction') === 'asc'
          ? a.number - b.number
          : b.number - a.number,
      );
    const items = [];
    for (const pull of matching.slice((page - 1) * perPage, page * perPage))
      items.push(await render(state, pull, false));
    return ok(items);
  });

  router.add('GET', '/repos/:owner/:repo/pulls/:number', async ({ params }) => {
    const state = gh.repo(params);
    return ok(await render(state, store.pull(state, Number(params.number))));
  });

  router.add(
    'PATCH',
    '/repos/:owner/:repo/pulls/:number',
    async ({ params, body }) => {
      const state = gh.repo(params);
      const pull = store.pull(state, Number(params.number));
      const input = await body();
      const docs = `${DOCS}#update-a-pull-request`;
      if (input.title !== undefined) pull.title = input.title;
      if (input.body !== undefined) pull.body = input.body;
      if (input.base !== undefined) {
        if (!(await state.git.resolve(`refs/heads/${input.base}`))) {
          throw gh.validation('Validation Failed', docs, [
            { resource: 'PullRequest', field: 'base', code: 'invalid' },
          ]);
        }
        pull.base = input.base;
      }
      if (input.state !== undefined) {
        if (!['open', 'closed'].includes(input.state)) {
          throw gh.validation('Validation Failed', docs, [
            { resource: 'PullRequest', field: 'state', code: 'invalid' },
          ]);
        }
        if (pull.merged && input.state === 'open') {
          throw gh.validation('Validation Failed', docs, [
            {
              resource: 'PullRequest',
              code: 'custom',
              message:
                'state cannot be changed. The pull request cannot be reopened.',
            },
          ]);
        }
        if (input.state === 'closed' && pull.state === 'open') {
          Object.assign(pull, await pullShas(state, pull));
          pull.closedAt = nowIso();
        }
        if (input.state === 'open' && pull.state === 'closed') {
          pull.headSha = undefined;
          pull.baseSha = undefined;
          pull.closedAt = null;
        }
        pull.state = input.state;
      }
      pull.updatedAt = nowIso();
      store.countWrite(state);
      return ok(await render(state, pull));
    },
  );

  router.add(
    'GET',
    '/repos/:owner/:repo/pulls/:number/merge',
    async ({ params }) => {
      const state = gh.repo(params);
      if (store.pull(state, Number(params.number)).merged)
        return { status: 204, body: undefined };
      throw new GitHubApiError(
        404,
        'Not Found',
        `${DOCS}#check-if-a-pull-request-has-been-merged`,
      );
    },
  );

  router.add(
    'PUT',
    '/repos/:owner/:repo/pulls/:number/merge',
    async ({ params, body }) => {
      const state = gh.repo(params);
      const pull = store.pull(state, Number(params.number));
      const { sha } = await mergePull(store, state, pull, await body());
      return ok({
        sha,
        merged: true,
        message: 'Pull Request successfully merged',
      });
    },
  );

  router.add(
    'GET',
    '/repos/:owner/:repo/pulls/:number/files',
    async ({ params }) => {
      const state = gh.repo(params);
      const heads = await pullShas(
        state,
        store.pull(state, Number(params.number)),
      );
      return ok(await changedFiles(gh, state, heads.baseSha, heads.headSha));
    },
  );

  router.add(
    'GET',
    '/repos/:owner/:repo/pulls/:number/commits',
    async ({ params }) => {
      const state = gh.repo(params);
      const heads = await pullShas(
        state,
        store.pull(state, Number(params.number)),
      );
      const commits = [];
      for (const entry of await state.git.log(heads.headSha, 100)) {
        if (await state.git.isAncestor(entry.oid, heads.baseSha)) break;
        commits.unshift(
          shapes.commit(state.record, entry.oid, entry.commit as any),
        );
      }
      return ok(commits);
    },
  );

  router.add(
    'POST',
    '/repos/:owner/:repo/pulls/:number/requested_reviewers',
    async ({ params, body }) => {
      const state = gh.repo(params);
      const pull = store.pull(state, Number(params.number));
      const input = await body();
      for (const login of input.reviewers ?? [])
        if (!pull.requestedReviewers.includes(login))
          pull.requestedReviewers.push(login);
      for (const slug of input.team_reviewers ?? [])
        if (!pull.requestedTeams.includes(slug)) pull.requestedTeams.push(slug);
      pull.updatedAt = nowIso();
      store.countWrite(state);
      return ok(await render(state, pull, false), 201);
    },
  );

  router.add(
    'GET',
    '/repos/:owner/:repo/pulls/:number/requested_reviewers',
    async ({ params }) => {
      const state = gh.repo(params);
      const pull = store.pull(state, Number(params.number));
      return ok({
        users: pull.requestedReviewers.map(l => shapes.user(l)),
        teams: pull.requestedTeams.map(t => shapes.team(state.record.owner, t)),
      });
    },
  );

  // Issues (pull requests are issues too).
  router.add(
    'GET',
    '/repos/:owner/:repo/issues/:number',
    async ({ params }) => {
      const state = gh.repo(params);
      const pull = store.pull(state, Number(params.number));
      const rendered = (await render(state, pull, false)) as any;
      return ok({
        id: pull.id,
        node_id: rendered.node_id,
        url: rendered.issue_url,
        repository_url: `${shapes.apiUrl}/repos/${state.record.owner}/${state.record.name}`,
        labels_url: `${rendered.issue_url}/labels{/name}`,
        comments_url: rendered.comments_url,
        events_url: `${rendered.issue_url}/events`,
        html_url: rendered.html_url,
        number: pull.number,
        state: pull.state,
        title: pull.title,
        body: pull.body,
        user: rendered.user,
        labels: rendered.labels,
        assignee: null,
        assignees: [],
        milestone: null,
        locked: false,
        comments: state.comments.filter(c => c.issueNumber === pull.number)
          .length,
        pull_request: {
          url: rendered.url,
          html_url: rendered.html_url,
          diff_url: rendered.diff_url,
          patch_url: rendered.patch_url,
          merged_at: pull.mergedAt,
        },
        closed_at: pull.closedAt,
        created_at: pull.createdAt,
        updated_at: pull.updatedAt,
        author_association: 'MEMBER',
      });
    },
  );

  router.add(
    'GET',
    '/repos/:owner/:repo/issues/:number/comments',
    async ({ params }) => {
      const state = gh.repo(params);
      store.pull(state, Number(params.number));
      return ok(
        state.comments
          .filter(c => c.issueNumber === Number(params.number))
          .map(c => shapes.comment(state.record, c)),
      );
    },
  );

  router.add(
    'POST',
    '/repos/:owner/:repo/issues/:number/comments',
    async ({ params, body }) => {
      const state = gh.repo(params);
      const pull = store.pull(state, Number(params.number));
      const input = await body();
      if (typeof input.body !== 'string') {
        throw gh.validation(
          'Invalid request.\n\n"body" wasn\'t supplied.',
          'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
        );
      }
      const now = nowIso();
      const comment = {
        id: store.newId(),
        issueNumber: pull.number,
        body: input.body,
        user: store.botLogin,
        createdAt: now,
        updatedAt: now,
      };
      state.comments.push(comment);
      store.countWrite(state);
      return ok(shapes.comment(state.record, comment), 201);
    },
  );

  router.add('GET', '/repos/:owner/:repo/labels', async ({ params }) => {
    const state = gh.repo(params);
    return ok(state.labels.map(l => shapes.label(state.record, l)));
  });

  router.add(
    'POST',
    '/repos/:owner/:repo/issues/:number/labels',
    async ({ params, body }) => {
      const state = gh.repo(params);
      const pull = store.pull(state, Number(params.number));
      const input = await body();
      const names: string[] = Array.isArray(input) ? input : input.labels ?? [];
      if (!Array.isArray(names)) {
        throw gh.validation(
          'Invalid request.',
          'https://docs.github.com/rest/issues/labels#add-labels-to-an-issue',
        );
      }
      for (const raw of names) {
        const name =
          typeof raw === 'string' ? raw : (raw as { name: string }).name;
        if (!state.labels.some(l => l.name === name)) {
          state.labels.push({
            id: store.newId(),
            name,
            color: 'ededed',
            description: '',
          });
        }
        if (!pull.labels.includes(name)) pull.labels.push(name);
      }
      pull.updatedAt = nowIso();
      store.countWrite(state);
      return ok(labelsOf(state, pull).map(l => shapes.label(state.record, l)));
    },
  );
}

import path from 'node:path';
import type { GitHubStore } from '../github/store';
import type { KubeObject } from '../kube/store';
import {
  AppSource,
  appSources,
  repoFromUrl,
  SourceFileReader,
} from './desired';

/** A commit of a repository of the GitHub stand-in. */
export interface RepoCommit {
  owner: string;
  repo: string;
  sha: string;
}

function sameRepo(a: { owner: string; repo: string }, b: RepoCommit) {
  return (
    a.owner.toLowerCase() === b.owner.toLowerCase() &&
    a.repo.toLowerCase() === b.repo.toLowerCase()
  );
}

/** The repository of the GitHub stand-in a source reads, if it is one. */
export function sourceRepo(github: GitHubStore, source: AppSource) {
  const repo = repoFromUrl(String(source.repoURL ?? ''));
  const state = repo ? github.find(repo.owner, repo.repo) : undefined;
  return repo && state ? { ...repo, state } : undefined;
}

/** The branch a source tracks (`HEAD` and empty mean the default branch). */
export function trackedBranch(source: AppSource, defaultBranch: string) {
  const target = String(source.targetRevision ?? 'HEAD').replace(
    /^refs\/heads\//,
    '',
  );
  return target === 'HEAD' || target === '' ? defaultBranch : target;
}

/**
 * The revision of each source, as Argo CD lists them in `status.sync.revisions`: `commit` for
 * the sources of its repository, the head of the tracked branch for other Git sources, and the
 * `targetRevision` for a chart from a Helm or OCI repository.
 */
export async function sourceRevisions(
  github: GitHubStore,
  app: KubeObject,
  commit?: RepoCommit,
): Promise<string[]> {
  return Promise.all(
    appSources(app).map(async source => {
      const repo = sourceRepo(github, source);
      if (!repo) return String(source.targetRevision ?? '');
      if (commit && sameRepo(repo, commit)) return commit.sha;
      const branch = trackedBranch(source, repo.state.record.defaultBranch);
      return (await repo.state.git.resolve(branch)) ?? '';
    }),
  );
}

/** Reads the files of an Application's sources at the given revisions (see {@link sourceRevisions}). */
export function sourceFileReader(
  github: GitHubStore,
  app: KubeObject,
  revisions: string[],
): SourceFileReader {
  const sources = appSources(app);
  return async (source, file) => {
    const repo = sourceRepo(github, source);
    const revision = revisions[sources.indexOf(source)];
    if (!repo || !revision) return undefined;
    return repo.state.git.readFile(revision, path.posix.normalize(file));
  };
}

/**
 * The paths of a repository an Application renders from: a rendering source's `path`, and the
 * `$ref/...` value files a `ref` source lends. A change under any of them changes the
 * Application's manifests.
 */
export function renderedPaths(
  github: GitHubStore,
  app: KubeObject,
  commit: RepoCommit,
): string[] {
  const sources = appSources(app);
  const paths: string[] = [];
  for (const source of sources) {
    const repo = sourceRepo(github, source);
    if (!repo || !sameRepo(repo, commit)) continue;
    if (source.path) paths.push(String(source.path).replace(/^\/+|\/+$/g, ''));
    if (!source.ref) continue;
    for (const other of sources) {
      for (const file of (other.helm?.valueFiles ?? []) as string[]) {
        const match = /^\$([^/]+)\/(.*)$/.exec(file);
        if (match && match[1] === source.ref) paths.push(match[2]);
      }
    }
  }
  return paths;
}

/** The source fields of a sync, history entry or sync result: single-source or multi-source. */
export function syncedSources(
  app: KubeObject,
  revisions: string[],
): Record<string, unknown> {
  return Array.isArray(app.spec?.sources) && app.spec.sources.length
    ? { revisions, sources: app.spec.sources }
    : { revision: revisions[0], source: app.spec?.source };
}

import {
  ApplicationRef,
  SourceError,
} from '@backstage-gitops/plugin-gitops-common';
import { parseGithubRepositoryUrl } from '@backstage-gitops/plugin-gitops-node';
import { GitopsConfig } from '@backstage-gitops/plugin-gitops-node';
import {
  ApplicationSource,
  SlimApplication,
  SlimSource,
} from '../sources/types';
import { StoredApplication } from '../store/ApplicationStore';

/** A full or abbreviated commit sha, which gets a commit link. */
export const COMMIT_SHA = /^[0-9a-f]{7,40}$/;

/** The web URL of a GitHub repository, if the URL is one. */
export function webUrlOf(repoUrl: string): string | undefined {
  try {
    return parseGithubRepositoryUrl(repoUrl).webUrl;
  } catch {
    return undefined;
  }
}

/** The source that decides an Application's version: its chart, else its path, else the first. */
export function mainSource(app: SlimApplication): SlimSource | undefined {
  return (
    app.sources.find(s => s.chart) ??
    app.sources.find(s => s.path) ??
    app.sources[0]
  );
}

/**
 * The source whose commit a cell shows: of a multi-source Application, the one in the repository
 * holding the desired version (a `ref` values source rather than the chart's), else the main one.
 */
export function revisionSource(
  app: SlimApplication,
  desiredRepoUrl?: string,
): SlimSource | undefined {
  const web = desiredRepoUrl ? webUrlOf(desiredRepoUrl) : undefined;
  return (
    (web && app.sources.find(s => s.revision && webUrlOf(s.repoURL) === web)) ||
    mainSource(app)
  );
}

/** How the state names an Application, linked to the Argo CD UI when the instance has one. */
export function applicationRef(
  config: GitopsConfig,
  { instance, app }: StoredApplication,
): ApplicationRef {
  const uiUrl = config.instances.find(i => i.name === instance)?.uiUrl;
  return {
    instance,
    namespace: app.metadata.namespace,
    name: app.metadata.name,
    project: app.project,
    url: uiUrl
      ? `${uiUrl.replace(/\/+$/, '')}/applications/${app.metadata.namespace}/${
          app.metadata.name
        }`
      : undefined,
    ...(app.applicationSet ? { applicationSet: app.applicationSet } : {}),
  };
}

/** The errors of the sources (of the given instances only, when given). */
export function sourceErrors(
  sources: ApplicationSource[],
  instances?: string[],
): SourceError[] {
  return sources
    .filter(s => !instances || instances.includes(s.instance))
    .flatMap(s => s.status().errors);
}

import {
  ClusterState,
  driftCounts,
  EntityGitopsState,
} from '@backstage-gitops/plugin-gitops-common';
import { Entity } from '@backstage/catalog-model';
import { CorpusCase, ExpectedCell, ExpectedPromotion } from './corpusCases';
import { CorpusBackend } from './corpusBackends';
import { RepoMapping } from './corpusWorld';

/** Each case's entity lives in a namespace of its own, so it can bear its service's name. */
const entityNamespace = (corpusCase: CorpusCase) =>
  corpusCase.id.replace(/[^a-z0-9-]+/g, '-');

/** The catalog entity of a case, named after its service. */
export function entityOf(corpusCase: CorpusCase): Entity {
  const app = corpusCase.application;
  const id = app.metadata.labels?.['backstage.io/kubernetes-id'];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: id ?? app.metadata.name,
      namespace: entityNamespace(corpusCase),
      annotations: corpusCase.endToEnd.annotations ?? {
        ...(id
          ? { 'backstage.io/kubernetes-id': id }
          : { 'argocd/app-name': app.metadata.name }),
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/web',
    },
  };
}

/** The case's entity ref, e.g. `component:versions-helm-parameters/helm-guestbook`. */
export function entityRef(corpusCase: CorpusCase): string {
  const entity = entityOf(corpusCase);
  return `component:${entity.metadata.namespace}/${entity.metadata.name}`;
}

/** Replaces stand-in repository URLs by the Application's own, in any text. */
function original(text: string, mappings: RepoMapping[]): string {
  return mappings.reduce(
    (t, m) =>
      t
        .split(m.standIn)
        .join(m.original)
        .split(m.standIn.replace(/\.git$/, ''))
        .join(m.original.replace(/\.git$/, '')),
    text,
  );
}

/** The case's cell as the expectations speak of it. */
function cellOutcome(
  cell: ClusterState,
  mappings: RepoMapping[],
): ExpectedCell {
  const out: ExpectedCell = {
    environment: cell.environment,
    cluster: cell.cluster,
    sync: cell.sync,
    health: cell.health,
    liveVersion: cell.liveVersion,
    liveVersionReason: cell.liveVersionReason,
    desiredVersion: cell.desiredVersion,
    desiredReason: cell.desiredReason && original(cell.desiredReason, mappings),
    desiredAt:
      cell.desiredSource &&
      original(
        `${cell.desiredSource.repoUrl} ${cell.desiredSource.path}`,
        mappings,
      ),
    skew: cell.skew,
    driftCounts: driftCounts(cell.drift) as unknown as Record<string, number>,
    operationMessage: cell.operation?.message,
  };
  return JSON.parse(JSON.stringify(out));
}

/** The cell of the case's Application (not of the one it is promoted from). */
function caseCell(state: EntityGitopsState, corpusCase: CorpusCase) {
  const { name } = corpusCase.application.metadata;
  return state.environments
    .flatMap(e => e.clusters)
    .find(
      c =>
        c.application?.name === name &&
        c.application?.instance === corpusCase.endToEnd.instance,
    );
}

/** The case's cell, or the error that says why its Application has none. */
export function stateOutcome(
  state: EntityGitopsState,
  corpusCase: CorpusCase,
  mappings: RepoMapping[],
): { cell?: ExpectedCell; placementError?: string } {
  const name = corpusCase.application.metadata.name;
  const cell = caseCell(state, corpusCase);
  if (cell) return { cell: cellOutcome(cell, mappings) };
  const error = state.errors.find(e => e.message.includes(name));
  return {
    placementError: error ? original(error.message, mappings) : undefined,
  };
}

/** Whether the state has settled for the case: its cell's desired version is read. */
export function settled(state: EntityGitopsState, corpusCase: CorpusCase) {
  const name = corpusCase.application.metadata.name;
  const cell = caseCell(state, corpusCase);
  if (cell) {
    return Boolean(cell.desiredVersion || cell.desiredReason || cell.error);
  }
  return state.errors.some(e => e.message.includes(name));
}

/** Polls the state until it settles (or `timeoutMs` passes) and returns the last one seen. */
export async function settledState(
  backend: CorpusBackend,
  corpusCase: CorpusCase,
  timeoutMs = 5_000,
): Promise<EntityGitopsState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await backend.getState(entityRef(corpusCase));
    if (settled(state, corpusCase) || Date.now() > deadline) return state;
    await new Promise(resolve => setTimeout(resolve, 25));
  }
}

/** The changed lines of a unified diff: the one before and the one after. */
function changedLines(diff: string) {
  const lines = diff.split('\n');
  const pick = (sign: string) =>
    lines
      .filter(l => l.startsWith(sign) && !l.startsWith(`${sign}${sign}${sign}`))
      .map(l => l.slice(1).trim())
      .join('\n');
  return { before: pick('-'), after: pick('+') };
}

/** A dry-run promotion of `version` into the case's cell: the exact edit, or the 409. */
export async function promotionOutcome(
  backend: CorpusBackend,
  corpusCase: CorpusCase,
  cell: { environment: string; cluster: string },
  version: string,
  mappings: RepoMapping[],
): Promise<ExpectedPromotion & { status: number }> {
  const order = ['dev', 'staging', 'prod'];
  const from = order[order.indexOf(cell.environment) - 1];
  const res = await backend.promote({
    entityRef: entityRef(corpusCase),
    from,
    to: cell.environment,
    version,
    targets: [cell.cluster],
    dryRun: true,
  });
  if (res.status !== 200) {
    return {
      status: res.status,
      version,
      refusal: original(res.body?.error?.message ?? '', mappings),
    };
  }
  const edits = (res.body.plan?.waves ?? []).flatMap((w: any) => w.edits);
  if (edits.length !== 1) {
    return {
      status: res.status,
      version,
      refusal: `expected one edit, got ${edits.length}: ${res.body.message}`,
    };
  }
  return {
    status: res.status,
    version,
    edit: {
      repoUrl: original(edits[0].repoUrl, mappings),
      path: edits[0].path,
      ...changedLines(edits[0].diff),
    },
  };
}

import fs from 'node:fs';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  ClusterState,
  driftCounts,
} from '@backstage-gitops/plugin-gitops-common';
import { parse } from 'yaml';
import { applyListFields } from '../__testUtils__/argoCdFields';
import { testGitopsConfig } from '../__testUtils__/gitopsConfig';
import { DesiredVersionReader } from '../git/DesiredVersionReader';
import { GitopsStateService } from '../state/GitopsStateService';
import { ApplicationStore } from '../store/ApplicationStore';
import { APPLICATION_LIST_FIELDS } from './argocd/ArgoCdApplicationSource';
import {
  MAX_PROJECTION_BYTES,
  projectApplication,
  projectionBytes,
} from './projectApplication';

/** test/corpus/live-status: real-world-shaped Applications with the cell each must give. */
const CORPUS = path.resolve(__dirname, '../../../../test/corpus/live-status');

interface Expected {
  instance: string;
  annotations?: Record<string, string>;
  /** What Git reading gives for the Application (its version and the image repository beside it). */
  desired?: { version?: string; imageRepository?: string };
  applicationSet?: string;
  application?: { namespace: string; name: string; url?: string };
  comparisonErrors?: string[];
  placementError?: string;
  cell?: {
    environment: string;
    cluster: string;
    sync: string;
    health: string;
    liveVersion?: string;
    liveVersionReason?: string;
    operation?: Record<string, unknown>;
    driftCounts: Record<string, number>;
    /** The drift items the 1 KB budget kept, per category. */
    keptDrift: Record<string, number>;
    comparisonErrors: string[];
    warnings: string[];
  };
}

const instance = (name: string, clusters: string[]) => ({
  name,
  type: 'kubernetes',
  url: `https://argocd.${name}.example.com`,
  uiUrl: `https://argocd.${name}.example.com`,
  timeoutMs: 10_000,
  clusters,
});

// a hub instance managing dev and staging, and one Argo CD per production cluster running in it
const config = testGitopsConfig({
  topology: {
    environments: [
      { name: 'dev', title: 'Development', clusters: ['dev-1'] },
      { name: 'staging', title: 'Staging', clusters: ['staging-1'] },
      {
        name: 'prod',
        title: 'Production',
        clusters: ['prod-eu-1', 'prod-us-1'],
      },
    ],
    clusters: ['dev-1', 'staging-1', 'prod-eu-1', 'prod-us-1'].map(name => ({
      name,
      server: `https://${name}.k8s.example.com`,
    })),
  },
  instances: [
    instance('hub', ['dev-1', 'staging-1']),
    instance('prod-eu', ['prod-eu-1']),
    instance('prod-us', ['prod-us-1']),
  ],
});

const shapes = fs
  .readdirSync(CORPUS)
  .filter(f => f.endsWith('.yaml'))
  .map(f => f.replace(/\.yaml$/, ''))
  .sort();

function load(shape: string) {
  const text = fs.readFileSync(path.join(CORPUS, `${shape}.yaml`), 'utf8');
  const expected: Expected = JSON.parse(
    fs.readFileSync(path.join(CORPUS, `${shape}.expected.json`), 'utf8'),
  );
  return { text, raw: parse(text), expected };
}

function entityFor(raw: any, annotations: Record<string, string> = {}): Entity {
  const id = raw.metadata.labels['backstage.io/kubernetes-id'];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: id,
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': id, ...annotations },
    },
    spec: {},
  };
}

function service(store: ApplicationStore, desired: Expected['desired'] = {}) {
  return new GitopsStateService({
    config,
    store,
    sources: [],
    versions: {
      cached: () => desired,
      desiredVersion: async () => desired,
    } as Partial<DesiredVersionReader> as DesiredVersionReader,
    logger: mockServices.logger.mock(),
  });
}

const PRIORITY = [
  'missing',
  'requiresPruning',
  'outOfSync',
  'expected',
] as const;
type DriftCounts = Record<(typeof PRIORITY)[number], number>;

function keptDrift(drift: ClusterState['drift']): DriftCounts {
  return {
    missing: drift.missing.length,
    requiresPruning: drift.requiresPruning.length,
    outOfSync: drift.outOfSync.length,
    expected: drift.expected.length,
  };
}

/** Items of a category are kept only once every item of the more important ones is. */
function keepsMostImportantFirst(kept: DriftCounts, counts: DriftCounts) {
  return PRIORITY.every(
    (category, i) =>
      i === 0 ||
      kept[category] === 0 ||
      kept[PRIORITY[i - 1]] === counts[PRIORITY[i - 1]],
  );
}

function cellsOf(state: { environments: Array<{ clusters: ClusterState[] }> }) {
  return state.environments.flatMap(e => e.clusters).filter(c => c.application);
}

describe('live status corpus (test/corpus/live-status)', () => {
  it('holds at least 12 shapes, each with its origin and expected cell', () => {
    expect(shapes.length).toBeGreaterThanOrEqual(12);
    for (const shape of shapes) {
      const { text } = load(shape);
      expect(text.startsWith('# origin: ')).toBe(true);
    }
  });

  describe.each(shapes)('%s', shape => {
    const { raw, expected } = load(shape);
    const informer = projectApplication(raw);
    const rest = projectApplication(
      applyListFields(raw, APPLICATION_LIST_FIELDS),
    );

    it('projects the same from the informer and from the REST list (fields applied), within budget', () => {
      expect(rest).toEqual(informer);
      const size = projectionBytes(informer);
      expect(size).toBeLessThanOrEqual(MAX_PROJECTION_BYTES);
      // the chosen image is kept however long the list
      expect(informer.images).toEqual(raw.status?.summary?.images ?? []);
      expect(informer.applicationSet).toBe(expected.applicationSet);
    });

    it('gives the expected cell, or the reason it has none', async () => {
      const store = new ApplicationStore(['backstage.io/kubernetes-id']);
      store.upsert(expected.instance, informer);
      const state = await service(store, expected.desired).getState(
        entityFor(raw, expected.annotations),
      );
      const cells = cellsOf(state).map(cell => ({
        environment: cell.environment,
        cluster: cell.cluster,
        sync: cell.sync,
        health: cell.health,
        liveVersion: cell.liveVersion,
        liveVersionReason: cell.liveVersionReason,
        operation: cell.operation && {
          phase: cell.operation.phase,
          message: cell.operation.message,
          failed: cell.operation.failed,
        },
        driftCounts: driftCounts(cell.drift),
        keptDrift: keptDrift(cell.drift),
        comparisonErrors: cell.drift.comparisonErrors,
        warnings: cell.drift.warnings ?? [],
      }));
      const want = expected.cell && {
        liveVersion: undefined,
        liveVersionReason: undefined,
        ...expected.cell,
        operation: expected.cell.operation && {
          message: undefined,
          failed: undefined,
          ...expected.cell.operation,
        },
      };
      expect(cells).toEqual(want ? [want] : []);
      expect(state.errors.map(e => e.message)).toEqual(
        expected.placementError ? [expected.placementError] : [],
      );
      expect(informer.drift.comparisonErrors).toEqual(
        expected.comparisonErrors ?? want?.comparisonErrors,
      );
      // no cell is ever unknown without a reason, and drift keeps the most important first
      expect(cells.filter(c => !c.liveVersion && !c.liveVersionReason)).toEqual(
        [],
      );
      expect(
        cells.filter(c => !keepsMostImportantFirst(c.keptDrift, c.driftCounts)),
      ).toEqual([]);
      expect(cellsOf(state).map(c => c.application)).toEqual(
        cells.map(() => expect.objectContaining(expected.application ?? {})),
      );
    });
  });

  it('never puts the in-cluster Applications of two per-cluster instances in one cell', async () => {
    const store = new ApplicationStore(['backstage.io/kubernetes-id']);
    for (const shape of [
      'guestbook-in-cluster-prod-eu',
      'guestbook-in-cluster-prod-us',
    ]) {
      const { raw, expected } = load(shape);
      store.upsert(expected.instance, projectApplication(raw));
    }
    const { raw, expected } = load('guestbook-in-cluster-prod-eu');
    const state = await service(store).getState(
      entityFor(raw, expected.annotations),
    );
    expect(state.errors).toEqual([]);
    expect(
      cellsOf(state).map(
        c => `${c.cluster}:${c.application!.instance}:${c.liveVersion}`,
      ),
    ).toEqual(['prod-eu-1:prod-eu:v5', 'prod-us-1:prod-us:v4']);
  });
});

import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { fullApplication } from '../../__testUtils__/applications';
import { testGitopsConfig } from '../../__testUtils__/gitopsConfig';
import { Claimant, ownerOf } from '../../entities/ApplicationClaims';
import { readEntityQuery } from '../../entities/entityQuery';
import { ApplicationEpisodes } from '../../episodes/ApplicationEpisodes';
import { DesiredVersionReader } from '../../git/DesiredVersionReader';
import { projectApplication } from '../../sources/projectApplication';
import { GitopsStateService } from '../../state/GitopsStateService';
import { ApplicationStore } from '../../store/ApplicationStore';
import { OverviewIndex } from '../OverviewIndex';

export const config = testGitopsConfig({
  topology: {
    environments: [
      { name: 'dev', title: 'Development', clusters: ['dev-1'] },
      { name: 'prod', title: 'Production', clusters: ['prod-1'] },
    ],
    clusters: [{ name: 'dev-1' }, { name: 'prod-1' }],
  },
  instances: [
    {
      name: 'core',
      type: 'kubernetes',
      url: 'https://core.example.com',
      timeoutMs: 10_000,
    },
  ],
});

/** A Component selecting the Applications of `service` by kubernetes-id. */
export function component(
  name: string,
  options: { owner?: string; system?: string; title?: string } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      title: options.title,
      annotations: { 'backstage.io/kubernetes-id': name },
    },
    spec: {
      owner: options.owner ?? 'group:default/payments',
      system: options.system,
    },
  };
}

/** An Application of `service` in `cluster` (dev-1 or prod-1), projected as a source does. */
export function application(
  service: string,
  cluster: string,
  version: string,
  status: { sync?: string; health?: string; resourceVersion?: string } = {},
) {
  return projectApplication(
    fullApplication({
      name: `${service}-${cluster}`,
      service,
      cluster,
      version,
      ...status,
    }),
  );
}

/** A store, state service, episodes and index over the given entities, with a settable clock. */
export function overviewWorld(entities: Entity[]) {
  let now = Date.parse('2026-01-01T10:00:00Z');
  const store = new ApplicationStore(['backstage.io/kubernetes-id']);
  const episodes = new ApplicationEpisodes({ now: () => now });
  store.onChange(change => episodes.observe(change));
  const state = new GitopsStateService({
    config,
    store,
    sources: [],
    versions: {
      cached: () => ({}),
      desiredVersion: async () => ({}),
    } as unknown as DesiredVersionReader,
    logger: mockServices.logger.mock(),
  });
  const getState = jest.spyOn(state, 'getState');
  const claimants: Claimant[] = entities.map(entity => ({
    entityRef: stringifyEntityRef(entity),
    owner: ownerOf(entity),
    query: readEntityQuery(entity, ['core']).query!,
    entity,
  }));
  const index = new OverviewIndex({
    claims: { entities: async () => ({ claimants, truncated: 0 }) },
    state,
    store,
    episodes,
    logger: mockServices.logger.mock(),
    refreshMs: 60_000,
    debounceMs: 10,
  });
  return {
    store,
    episodes,
    index,
    getState,
    claimants,
    setNow: (ms: number) => {
      now = ms;
    },
    now: () => now,
  };
}

import {
  OverviewEnvironment,
  OverviewPage,
  OverviewRow,
  ReadyPromotion,
} from '@backstage-gitops/plugin-gitops-common';

/** Overview rows shaped like the sandbox's sample services. Used by tests only. */

export const overviewEnvironments = [
  { name: 'dev', title: 'Development' },
  { name: 'staging', title: 'Staging' },
  { name: 'prod', title: 'Production' },
];

export function overviewEnvironment(
  name: string,
  version: string,
  overrides: Partial<OverviewEnvironment> = {},
): OverviewEnvironment {
  return {
    name,
    version,
    versions: [version],
    health: 'Healthy',
    sync: 'Synced',
    driftedResources: 0,
    skew: false,
    failing: false,
    unknownClusters: 0,
    ...overrides,
  };
}

export function readyToProd(version: string, passed = true): ReadyPromotion {
  return {
    from: 'staging',
    to: 'prod',
    version,
    passed,
    gates: [
      {
        gate: 'source-synced-healthy',
        passed: true,
        message: 'Staging is Synced and Healthy',
      },
      {
        gate: 'freeze-window',
        passed,
        message: passed
          ? 'No freeze window'
          : 'Production is frozen until Monday',
      },
    ],
  };
}

export function overviewRow(
  name: string,
  overrides: Partial<OverviewRow> = {},
): OverviewRow {
  return {
    entityRef: `component:default/${name}`,
    owner: 'group:default/team-a',
    system: 'system:default/storefront',
    environments: [
      overviewEnvironment('dev', '1.5.0'),
      overviewEnvironment('staging', '1.5.0', {
        lag: { previousEnvironment: 'dev', behind: false },
      }),
      overviewEnvironment('prod', '1.4.2', {
        lag: {
          previousEnvironment: 'staging',
          previousVersion: '1.5.0',
          behind: true,
          versionsBehind: 2,
        },
      }),
    ],
    ready: [],
    canPromote: true,
    errors: [],
    updatedAt: new Date().toISOString(),
    ...overrides,
  };
}

export function overviewPage(
  items: OverviewRow[],
  overrides: Partial<OverviewPage> = {},
): OverviewPage {
  return {
    items,
    totalItems: items.length,
    environments: overviewEnvironments,
    errors: [],
    updatedAt: new Date().toISOString(),
    ...overrides,
  };
}

import { computeDrift, driftCounts, hasDrift } from './drift';

describe('computeDrift', () => {
  const resources = [
    { kind: 'Service', name: 'api', namespace: 'a', status: 'Synced' },
    {
      group: 'apps',
      kind: 'Deployment',
      name: 'api',
      namespace: 'a',
      status: 'OutOfSync',
    },
    {
      group: 'autoscaling',
      kind: 'HorizontalPodAutoscaler',
      name: 'api',
      namespace: 'a',
      status: 'Synced',
    },
    {
      kind: 'ConfigMap',
      name: 'old',
      namespace: 'a',
      status: 'OutOfSync',
      requiresPruning: true,
    },
    {
      kind: 'Secret',
      name: 'creds',
      namespace: 'a',
      status: 'OutOfSync',
      health: { status: 'Missing' },
    },
    {
      kind: 'ConfigMap',
      name: 'settings',
      namespace: 'a',
      status: 'OutOfSync',
    },
  ];

  it('sorts resources into drift kinds and keeps HPA-managed replicas apart', () => {
    const drift = computeDrift({
      resources,
      conditions: [
        { type: 'ComparisonError', message: 'failed to load target state' },
        { type: 'SharedResourceWarning', message: 'shared' },
      ],
    });
    expect(drift.expected.map(r => `${r.kind}/${r.name}`)).toEqual([
      'Deployment/api',
    ]);
    expect(drift.requiresPruning.map(r => r.name)).toEqual(['old']);
    expect(drift.missing.map(r => r.name)).toEqual(['creds']);
    expect(drift.outOfSync.map(r => r.name)).toEqual(['settings']);
    expect(drift.comparisonErrors).toEqual([
      'ComparisonError: failed to load target state',
    ]);
    expect(hasDrift(drift)).toBe(true);
  });

  it('treats a scaled resource as real drift when replicas are already ignored', () => {
    const drift = computeDrift({
      resources,
      ignoreDifferences: [
        { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
      ],
    });
    expect(drift.outOfSync.map(r => r.kind)).toContain('Deployment');
    expect(drift.expected).toEqual([]);
  });

  it('bounds the lists and counts the rest', () => {
    const drift = computeDrift({ resources, limit: 2 });
    const kept =
      drift.outOfSync.length +
      drift.expected.length +
      drift.missing.length +
      drift.requiresPruning.length;
    expect(kept).toBe(2);
    expect(drift.omitted).toBe(2);
  });

  it('keeps missing and prune-required resources first and counts every category exactly', () => {
    const many = [
      ...Array.from({ length: 300 }, (_, i) => ({
        kind: 'ConfigMap',
        name: `cm-${i}`,
        status: 'OutOfSync',
      })),
      ...Array.from({ length: 150 }, (_, i) => ({
        kind: 'Secret',
        name: `gone-${i}`,
        status: 'OutOfSync',
        requiresPruning: true,
      })),
      ...Array.from({ length: 3 }, (_, i) => ({
        kind: 'Service',
        name: `new-${i}`,
        status: 'OutOfSync',
        health: { status: 'Missing' },
      })),
    ];
    const drift = computeDrift({ resources: many, limit: 5 });
    expect(drift.missing.map(r => r.name)).toEqual(['new-0', 'new-1', 'new-2']);
    expect(drift.requiresPruning.map(r => r.name)).toEqual([
      'gone-0',
      'gone-1',
    ]);
    expect(drift.outOfSync).toEqual([]);
    expect(driftCounts(drift)).toEqual({
      outOfSync: 300,
      requiresPruning: 150,
      missing: 3,
      expected: 0,
    });
    expect(drift.omitted).toBe(448);
  });

  it('counts resources without health (Argo CD 3) as out of sync, and keeps warnings apart', () => {
    const drift = computeDrift({
      resources: [{ kind: 'Service', name: 'api', status: 'OutOfSync' }],
      conditions: [
        {
          type: 'OrphanedResourceWarning',
          message: 'Application has 2 orphaned resources',
        },
      ],
    });
    expect(drift.outOfSync.map(r => r.name)).toEqual(['api']);
    expect(drift.warnings).toEqual([
      'OrphanedResourceWarning: Application has 2 orphaned resources',
    ]);
    expect(drift.comparisonErrors).toEqual([]);
  });

  it('reports no drift when only expected drift exists', () => {
    expect(hasDrift(computeDrift({ resources: resources.slice(0, 3) }))).toBe(
      false,
    );
  });
});

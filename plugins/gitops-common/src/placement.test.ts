import { placeApplication, resolveCluster } from './placement';

const topology = {
  environments: [
    { name: 'staging', title: 'Staging', clusters: ['staging-1'] },
    { name: 'prod', title: 'Production', clusters: ['prod-eu-1', 'prod-us-1'] },
  ],
  clusters: [
    { name: 'staging-1', server: 'https://staging-1.example.com' },
    { name: 'prod-eu-1', server: 'https://prod-eu-1.example.com/' },
    { name: 'prod-us-1', aliases: ['in-cluster'] },
  ],
};

describe('placeApplication', () => {
  it('places by destination name and the owning environment', () => {
    expect(
      placeApplication({ destination: { name: 'prod-us-1' } }, topology),
    ).toEqual({ placement: { environment: 'prod', cluster: 'prod-us-1' } });
  });

  it('places by server, ignoring a trailing slash and case', () => {
    expect(
      placeApplication(
        { destination: { server: 'https://PROD-EU-1.example.com' } },
        topology,
      ).placement,
    ).toEqual({ environment: 'prod', cluster: 'prod-eu-1' });
  });

  it('resolves aliases', () => {
    expect(
      resolveCluster({ name: 'in-cluster' }, topology.clusters)?.name,
    ).toBe('prod-us-1');
  });

  it('lets the environment label override the owning environment', () => {
    expect(
      placeApplication(
        {
          destination: { name: 'prod-eu-1' },
          labels: { 'gitops.backstage.io/environment': 'staging' },
        },
        topology,
      ).placement,
    ).toEqual({ environment: 'staging', cluster: 'prod-eu-1' });
    expect(
      placeApplication(
        { destination: { name: 'prod-eu-1' }, labels: { env: 'staging' } },
        topology,
        { environmentLabel: 'env' },
      ).placement?.environment,
    ).toBe('staging');
  });

  it('explains why an Application cannot be placed', () => {
    expect(
      placeApplication({ destination: { server: 'https://other' } }, topology)
        .reason,
    ).toMatch(/https:\/\/other is not a configured cluster/);
    expect(
      placeApplication(
        {
          destination: { name: 'prod-eu-1' },
          labels: { 'gitops.backstage.io/environment': 'qa' },
        },
        topology,
      ).reason,
    ).toMatch(/qa names no configured environment/);
  });

  it("places in-cluster destinations on the reporting instance's own cluster", () => {
    const inCluster = [
      { server: 'https://kubernetes.default.svc' },
      { server: 'https://kubernetes.default.svc/' },
      { name: 'in-cluster' },
    ];
    for (const destination of inCluster) {
      expect(
        placeApplication({ destination }, topology, {
          instanceClusters: ['prod-eu-1'],
        }).placement,
      ).toEqual({ environment: 'prod', cluster: 'prod-eu-1' });
      expect(
        placeApplication({ destination }, topology, {
          instanceClusters: ['staging-1'],
        }).placement,
      ).toEqual({ environment: 'staging', cluster: 'staging-1' });
    }
  });

  it("uses an alias among the instance's clusters when it manages several", () => {
    expect(
      placeApplication({ destination: { name: 'in-cluster' } }, topology, {
        instanceClusters: ['prod-eu-1', 'prod-us-1'],
      }).placement,
    ).toEqual({ environment: 'prod', cluster: 'prod-us-1' });
    expect(
      placeApplication({ destination: { name: 'in-cluster' } }, topology, {
        instanceClusters: ['prod-eu-1', 'staging-1'],
      }).reason,
    ).toMatch(/gitops\.instances\[\]\.clusters/);
  });

  it('leaves other destinations to the configured clusters', () => {
    expect(
      placeApplication({ destination: { name: 'prod-us-1' } }, topology, {
        instanceClusters: ['staging-1'],
      }).placement,
    ).toEqual({ environment: 'prod', cluster: 'prod-us-1' });
  });
});

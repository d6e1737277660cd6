import { ClusterStore, KubeObject } from '../kube/store';
import { generateApplications } from './generated';

describe('generateApplications', () => {
  const repoUrl = 'http://localhost:7480/acme/generated-gitops.git';

  it('generates the requested number of distinct Applications over every environment', () => {
    const apps = [...generateApplications('gen-01', 3_001, repoUrl)];
    expect(apps).toHaveLength(3_001);
    expect(new Set(apps.map(a => a.metadata.name)).size).toBe(3_001);
    const perEnv = new Map<string, number>();
    for (const app of apps) {
      const env = app.metadata.labels!['gitops.backstage.io/environment'];
      perEnv.set(env, (perEnv.get(env) ?? 0) + 1);
      expect(app.metadata.name).toBe(
        `${app.metadata.labels!['app.kubernetes.io/name']}-${env}-gen-01`,
      );
    }
    expect(Object.fromEntries(perEnv)).toEqual({
      dev: 1_001,
      staging: 1_001,
      prod: 999,
    });
  });

  it('pages through a store of generated Applications without losing or repeating any', () => {
    const store = new ClusterStore('gen-01');
    store.load('applications', generateApplications('gen-01', 2_345, repoUrl));
    const names = new Set<string>();
    const pageSizes: number[] = [];
    let continueToken: string | undefined;
    do {
      const page = store.list('applications', { limit: 500, continueToken });
      pageSizes.push(page.items.length);
      page.items.forEach((app: KubeObject) => names.add(app.metadata.name));
      continueToken = page.continueToken;
    } while (continueToken);
    expect(pageSizes).toEqual([500, 500, 500, 500, 345]);
    expect(names.size).toBe(2_345);
  });
});

import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { emptyDrift } from '@backstage-gitops/plugin-gitops-common';
import { fakeGithub, startFakeServer } from '../__testUtils__/fakeServers';
import { DEFAULT_CACHE_LIMITS } from '@backstage-gitops/plugin-gitops-node';
import { SlimApplication, SlimSource } from '../sources/types';
import { DesiredVersionReader, GitReadError } from './DesiredVersionReader';

describe('DesiredVersionReader caches', () => {
  let github: Awaited<ReturnType<typeof startFakeServer>>;
  const calls: string[] = [];
  const sha = 'c'.repeat(40);
  let now = 0;

  // the stand-in names a blob by its first 20 bytes: each file starts with its own name
  const files: Record<string, string> = {};
  for (const name of ['a', 'b', 'c']) {
    files[
      `acme/gitops/apps/${name}/values.yaml`
    ] = `# app ${name} values\nimage:\n  tag: 1.0.${name.charCodeAt(0) - 97}\n`;
  }

  beforeAll(async () => {
    github = await startFakeServer(fakeGithub(files, calls));
  });
  afterAll(() => github.close());
  beforeEach(() => {
    calls.length = 0;
    now = 1_000_000;
  });

  function reader(
    limits: Partial<typeof DEFAULT_CACHE_LIMITS.git> = {},
    branchTtlMs = 60_000,
  ) {
    return new DesiredVersionReader({
      integrations: ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: {
            github: [
              {
                host: new URL(github.url).host,
                apiBaseUrl: `${github.url}/api/v3`,
                token: 't',
              },
            ],
          },
        }),
      ),
      logger: mockServices.logger.mock(),
      helmValuesKey: 'image.tag',
      branchTtlMs,
      cacheLimits: { ...DEFAULT_CACHE_LIMITS.git, ...limits },
      clock: () => now,
    });
  }

  function app(
    name: string,
    source: Partial<SlimSource> = {},
  ): SlimApplication {
    return {
      metadata: { name, namespace: 'argocd', labels: {} },
      destination: { name: 'prod-eu-1' },
      sources: [
        {
          repoURL: `${github.url}/acme/gitops.git`,
          targetRevision: 'main',
          revision: sha,
          path: `apps/${name}`,
          valueFiles: ['values.yaml'],
          ...source,
        },
      ],
      sync: 'Synced',
      health: 'Healthy',
      images: [],
      drift: emptyDrift(),
    };
  }

  it('deduplicates concurrent reads of one Application', async () => {
    const r = reader();
    const [first, second] = await Promise.all([
      r.desiredVersion(app('a'), ['a']),
      r.desiredVersion(app('a'), ['a']),
    ]);
    expect(first).toBe(second);
    expect(calls).toHaveLength(1);
  });

  it('reads one file at one revision once for concurrent history entries', async () => {
    const r = reader();
    const versions = await Promise.all(
      [1, 2, 3].map(() => r.versionAt(app('b').sources, ['b'])),
    );
    expect(versions.map(v => v.version)).toEqual(['1.0.1', '1.0.1', '1.0.1']);
    expect(calls).toHaveLength(1);
  });

  it('evicts the least recently used desired version past maxResults', async () => {
    const r = reader({ maxResults: 2 });
    for (const name of ['a', 'b', 'c']) {
      await r.desiredVersion(app(name), [name]);
    }
    expect(r.cached(app('a'), ['a'])).toBeUndefined();
    expect(r.cached(app('b'), ['b'])?.version).toBe('1.0.1');
    expect(r.cached(app('c'), ['c'])?.version).toBe('1.0.2');
    expect(r.cacheStats().results).toMatchObject({
      bound: 2,
      inserted: 3,
      evicted: 1,
      held: 2,
    });
  });

  it('reads a file again once its lookup was evicted past maxFiles', async () => {
    const r = reader({ maxFiles: 1 });
    const sources = (name: string) => app(name).sources;
    await r.versionAt(sources('a'), ['a']);
    await r.versionAt(sources('b'), ['b']);
    expect(calls).toHaveLength(2);
    await r.versionAt(sources('b'), ['b']);
    expect(calls).toHaveLength(2);
    const again = await r.versionAt(sources('a'), ['a']);
    expect(again.version).toBe('1.0.0');
    expect(calls).toHaveLength(3);
    expect(r.cacheStats().files).toMatchObject({ bound: 1, evicted: 2 });
  });

  it('bounds parsed files by bytes, and reads a file again (with its value) once its blob was evicted', async () => {
    const bytes = Buffer.byteLength(files['acme/gitops/apps/a/values.yaml']);
    const r = reader({ maxBlobBytes: bytes + 1 });
    const sources = (name: string) => app(name).sources;
    await r.versionAt(sources('a'), ['a']);
    await r.versionAt(sources('b'), ['b']);
    expect(r.cacheStats().blobs).toMatchObject({
      unit: 'bytes',
      bound: bytes + 1,
      inserted: 2 * bytes,
      evicted: 1,
      held: bytes,
    });

    // the lookup of a is still cached, its parsed content is not
    const again = await r.versionAt(sources('a'), ['a']);
    expect(again.version).toBe('1.0.0');
    expect(calls).toHaveLength(3);
  });

  it('expires a desired version, file and parsed file read at a commit after the cache ttl', async () => {
    const r = reader({ ttlMs: 10 * 60_000 });
    await r.desiredVersion(app('a'), ['a']);
    now += 10 * 60_000 - 1;
    expect(r.cached(app('a'), ['a'])?.version).toBe('1.0.0');
    now += 2;
    expect(r.cached(app('a'), ['a'])).toBeUndefined();
    await r.desiredVersion(app('a'), ['a']);
    expect(calls).toHaveLength(2);
    const stats = r.cacheStats();
    expect(stats.results.expired).toBe(1);
    expect(stats.files.expired).toBe(1);
    expect(stats.blobs.expired).toBe(1);
  });

  it('expires a read at a branch after the branch ttl, and at the cache ttl when that is shorter', async () => {
    const atBranch = app('a', { revision: undefined });
    const r = reader({}, 30_000);
    await r.desiredVersion(atBranch, ['a']);
    now += 30_001;
    expect(r.cached(atBranch, ['a'])).toBeUndefined();

    const short = reader({ ttlMs: 5_000 }, 30_000);
    await short.desiredVersion(atBranch, ['a']);
    now += 5_001;
    expect(short.cached(atBranch, ['a'])).toBeUndefined();
  });

  it('answers a failed read from memory for 30 s, then asks GitHub again', async () => {
    const r = reader();
    const missing = app('a', { valueFiles: ['envs/qa/values.yaml'] });
    await expect(r.desiredVersion(missing, ['a'])).rejects.toThrow(
      GitReadError,
    );
    now += 29_999;
    await expect(r.desiredVersion(missing, ['a'])).rejects.toThrow(/not found/);
    expect(calls).toHaveLength(1);
    now += 2;
    await expect(r.desiredVersion(missing, ['a'])).rejects.toThrow(/not found/);
    expect(calls).toHaveLength(2);
    expect(r.cacheStats().failures.expired).toBe(1);
  });

  it('evicts the least recently failed read past maxFailures', async () => {
    const r = reader({ maxFailures: 1 });
    const missing = (name: string) =>
      app(name, { valueFiles: ['envs/qa/values.yaml'] });
    await expect(r.desiredVersion(missing('a'), ['a'])).rejects.toThrow();
    await expect(r.desiredVersion(missing('b'), ['b'])).rejects.toThrow();
    await expect(r.desiredVersion(missing('b'), ['b'])).rejects.toThrow();
    expect(calls).toHaveLength(2);
    await expect(r.desiredVersion(missing('a'), ['a'])).rejects.toThrow();
    expect(calls).toHaveLength(3);
    expect(r.cacheStats().failures).toMatchObject({ bound: 1, evicted: 2 });
  });

  it('remembers an optional file that does not exist, as long as a read file', async () => {
    // no value file sets the key, so the chart's values.yaml is looked for; it is missing
    const r = reader();
    await r.desiredVersion(app('d', { valueFiles: [] }), ['d']);
    expect(calls).toContain(
      `/api/v3/repos/acme/gitops/contents/apps%2Fd%2Fvalues.yaml?ref=${sha}`,
    );
    const first = [...calls];
    // another Application at the same commit: nothing is asked again
    await r.desiredVersion(app('d', { valueFiles: [], targetRevision: 'v1' }), [
      'd',
    ]);
    expect(calls).toEqual(first);
  });

  it('caches nothing from a branch when the branch ttl is 0', async () => {
    const atBranch = app('a', { revision: undefined });
    const r = reader({}, 0);
    await r.desiredVersion(atBranch, ['a']);
    await r.desiredVersion(atBranch, ['a']);
    expect(calls).toHaveLength(2);
  });
});

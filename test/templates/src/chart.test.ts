import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { Manifest, parseManifests, validateManifest } from './manifests';
import { chartDir } from './paths';
import { policyViolations } from './policy';
import { renderService } from './renderService';
import { ensureHelm, helm } from './tools';

jest.setTimeout(120_000);

const service = 'orders-api';

describe('golden-path chart in a new service', () => {
  let rendered: Awaited<ReturnType<typeof renderService>>;
  const chartFolder = () => path.join(rendered.gitopsDir, 'apps', service);

  beforeAll(async () => {
    ensureHelm();
    rendered = await renderService({
      name: service,
      owner: 'group:default/team-payments',
      project: 'payments',
      gitopsRepoUrl: 'http://localhost:7480/acme/payments-gitops',
      imageRepository: `ghcr.io/acme/${service}`,
    });
  });
  afterAll(() => rendered?.cleanup());

  it('vendors the chart at its pinned version', () => {
    const source = yaml.parse(
      fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8'),
    );
    const vendored = yaml.parse(
      fs.readFileSync(path.join(chartFolder(), 'Chart.yaml'), 'utf8'),
    );
    expect(vendored.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(vendored.version).toBe(source.version);
    expect(rendered.outputs.chartVersion).toBe(source.version);
  });

  describe.each(['dev', 'staging', 'prod'])('in %s', env => {
    const valuesFile = () =>
      path.join(chartFolder(), 'envs', env, 'values.yaml');
    let manifests: Manifest[];

    beforeAll(async () => {
      const result = await helm([
        'template',
        service,
        chartFolder(),
        '--namespace',
        service,
        '--values',
        valuesFile(),
      ]);
      if (result.code !== 0) {
        throw new Error(`helm template failed: ${result.stderr}`);
      }
      manifests = parseManifests(result.stdout);
    });

    it('passes helm lint with the environment values', async () => {
      const result = await helm([
        'lint',
        chartFolder(),
        '--strict',
        '--values',
        valuesFile(),
      ]);
      expect(result).toMatchObject({ code: 0 });
      expect(result.stdout).toContain('0 chart(s) failed');
    });

    it('renders every golden-path object, each valid against its schema', () => {
      expect(manifests.map(m => m.kind).sort()).toEqual([
        'Deployment',
        'HorizontalPodAutoscaler',
        'NetworkPolicy',
        'PodDisruptionBudget',
        'Service',
        'ServiceAccount',
      ]);
      for (const manifest of manifests) {
        expect(() => validateManifest(manifest)).not.toThrow();
      }
    });

    it('complies with the platform policy', () => {
      expect(policyViolations(manifests)).toEqual([]);
    });

    it('runs the initial tag of the values file and leaves replicas to the autoscaler', () => {
      const deployment = manifests.find(m => m.kind === 'Deployment')!;
      expect(deployment.spec.template.spec.containers[0].image).toBe(
        `ghcr.io/acme/${service}:0.1.0`,
      );
      expect(deployment.spec).not.toHaveProperty('replicas');
      expect(deployment.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': service,
        'app.kubernetes.io/part-of': 'team-payments',
        'backstage.io/kubernetes-id': service,
      });
    });
  });

  it('writes an Argo CD Application per environment and cluster, valid against the CRD schema', () => {
    const clustersDir = path.join(rendered.gitopsDir, 'clusters');
    const found = fs.readdirSync(clustersDir).sort();
    expect(found).toEqual(['dev-1', 'prod-eu-1', 'prod-us-1', 'staging-1']);
    for (const cluster of found) {
      const app = yaml.parse(
        fs.readFileSync(
          path.join(clustersDir, cluster, 'apps', `${service}.yaml`),
          'utf8',
        ),
      );
      expect(() => validateManifest(app)).not.toThrow();
      expect(app.metadata.name).toBe(`${service}-${cluster}`);
      // The values file the Application points at exists next to the chart.
      for (const file of app.spec.source.helm.valueFiles) {
        expect(
          fs.existsSync(
            path.join(rendered.gitopsDir, app.spec.source.path, file),
          ),
        ).toBe(true);
      }
    }
  });
});

describe('golden-path chart values schema', () => {
  let dir: string;
  const lintWith = async (values: object) => {
    const file = path.join(dir, `values-${Math.random()}.yaml`);
    fs.writeFileSync(file, yaml.stringify(values));
    return helm(['lint', chartDir, '--values', file]);
  };
  const valid = { image: { repository: 'ghcr.io/acme/demo', tag: '1.2.3' } };

  beforeAll(() => {
    ensureHelm();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-values-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('accepts minimal valid values', async () => {
    await expect(lintWith(valid)).resolves.toMatchObject({ code: 0 });
  });

  it.each([
    [
      'image.tag latest',
      { image: { ...valid.image, tag: 'latest' } },
      '/image/tag',
    ],
    ['no image.tag', { image: { repository: 'ghcr.io/acme/demo' } }, '/image'],
    [
      'an image repository with a tag',
      { image: { ...valid.image, repository: 'ghcr.io/acme/demo:1' } },
      '/image/repository',
    ],
    [
      'no resource limits',
      { ...valid, resources: { limits: null } },
      '/resources',
    ],
    [
      'no memory request',
      { ...valid, resources: { requests: { memory: null } } },
      '/resources/requests',
    ],
    [
      'no readiness probe',
      { ...valid, probes: { readiness: null } },
      '/probes',
    ],
    ['a privileged port', { ...valid, containerPort: 80 }, '/containerPort'],
    ['a misspelt key', { ...valid, replicaCuont: 3 }, 'replicaCuont'],
  ])('fails helm lint with %s', async (_what, values, pointer) => {
    const result = await lintWith(values);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain(pointer);
  });

  it('sets fixed replicas and drops the autoscaler when autoscaling is off', async () => {
    const file = path.join(dir, 'no-hpa.yaml');
    fs.writeFileSync(
      file,
      yaml.stringify({
        ...valid,
        autoscaling: { enabled: false },
        replicaCount: 3,
      }),
    );
    const result = await helm(['template', 'demo', chartDir, '--values', file]);
    const manifests = parseManifests(result.stdout);
    expect(manifests.map(m => m.kind)).not.toContain('HorizontalPodAutoscaler');
    expect(manifests.find(m => m.kind === 'Deployment')!.spec.replicas).toBe(3);
  });
});

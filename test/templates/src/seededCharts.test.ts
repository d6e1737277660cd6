import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
// Plain data of the sandbox's seeded world, by path: depending on the sandbox package would pull
// it into this package's cold test runs.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { sampleHelmCharts } from '../../sandbox/src/world/sampleCharts';
import { Manifest, parseManifests, validateManifest } from './manifests';
import { ensureHelm, helm } from './tools';

jest.setTimeout(120_000);

const charts = sampleHelmCharts();

function writeFiles(dir: string, files: Record<string, string>) {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content, 'utf8');
  }
}

describe('charts of the seeded sandbox GitOps repositories', () => {
  let root: string;

  beforeAll(() => {
    ensureHelm();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-seeded-charts-'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('seeds Helm services', () => {
    expect(charts.map(c => c.service)).toEqual(
      expect.arrayContaining(['checkout-api', 'storefront-web']),
    );
  });

  describe.each(charts.map(chart => [chart.service, chart] as const))(
    '%s',
    (service, chart) => {
      let dir: string;

      beforeAll(() => {
        dir = path.join(root, chart.path);
        writeFiles(dir, {
          ...chart.files,
          ...Object.fromEntries(chart.values.map(v => [v.file, v.content])),
        });
      });

      it('is self-contained: no dependencies to fetch', () => {
        const meta = yaml.parse(chart.files['Chart.yaml']);
        expect(meta.dependencies ?? []).toEqual([]);
        expect(
          Object.keys(chart.files).some(f => f.startsWith('templates/')),
        ).toBe(true);
      });

      it.each(chart.values.map(v => [v.environment, v.version, v] as const))(
        'renders with the %s values of %s',
        async (_env, version, values) => {
          const valuesFile = path.join(
            root,
            'values',
            service,
            `${version}.yaml`,
          );
          writeFiles(path.dirname(valuesFile), {
            [path.basename(valuesFile)]: values.content,
          });
          const result = await helm([
            'template',
            service,
            dir,
            '--namespace',
            service,
            '--values',
            valuesFile,
          ]);
          expect(result.stderr).toBe('');
          expect(result.code).toBe(0);

          const manifests = parseManifests(result.stdout);
          const byKind = (kind: string) =>
            manifests.find(m => m.kind === kind) as Manifest;
          expect(
            manifests.map(m => `${m.kind}/${m.metadata.name}`).sort(),
          ).toEqual([
            `ConfigMap/${service}-config`,
            `Deployment/${service}`,
            `Service/${service}`,
          ]);
          validateManifest(byKind('Deployment'));
          validateManifest(byKind('Service'));

          const declared = yaml.parse(values.content);
          const deployment = byKind('Deployment');
          expect(deployment.spec.replicas).toBe(declared.replicaCount);
          const [container] = deployment.spec.template.spec.containers;
          expect(container.image).toBe(`ghcr.io/acme/${service}:${version}`);
          expect(container.resources).toEqual(declared.resources);
          expect(container.env).toEqual([
            { name: 'ENVIRONMENT', value: values.environment },
          ]);
        },
      );
    },
  );
});

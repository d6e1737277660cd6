import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
// Plain data of the sandbox's seeded world, by path, as seededCharts.test.ts reads it.
/* eslint-disable @backstage/no-relative-monorepo-imports */
import {
  kustomizeBaseFiles,
  kustomizeOverlay,
} from '../../sandbox/src/world/manifests';
import {
  SAMPLE_SERVICES,
  SAMPLE_VERSIONS,
  valuesPath,
} from '../../sandbox/src/world/sample';
/* eslint-enable @backstage/no-relative-monorepo-imports */
import { Manifest, parseManifests, validateManifest } from './manifests';
import { ensureKubectl, kubectl } from './tools';

jest.setTimeout(60_000);

const environments = ['dev', 'staging', 'prod'] as const;
const services = SAMPLE_SERVICES.filter(s => s.kind === 'kustomize');

function writeFiles(dir: string, files: Record<string, string>) {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content, 'utf8');
  }
}

/*
 * The GitOps state backend reads a Kustomize service's desired version from its overlay's
 * images[].newTag. Building the seeded overlays with the real kustomize (kubectl kustomize, as
 * Argo CD does) checks that this tag is what the rendered Deployment actually runs.
 */
describe('Kustomize overlays of the seeded sandbox GitOps repositories', () => {
  let root: string;

  beforeAll(() => {
    ensureKubectl();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-seeded-kustomize-'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('seeds a Kustomize service', () => {
    expect(services.map(s => s.name)).toEqual(['payments-worker']);
  });

  describe.each(services.map(s => [s.name, s] as const))(
    '%s',
    (name, service) => {
      it.each(
        environments.map(
          env => [env, SAMPLE_VERSIONS[name][env].at(-1)!] as const,
        ),
      )(
        'builds the %s overlay into objects running %s',
        async (env, version) => {
          const dir = path.join(root, name, env);
          const overlay = valuesPath(service, env);
          writeFiles(dir, {
            ...kustomizeBaseFiles(name),
            [overlay]: kustomizeOverlay(name, env, version),
          });
          const result = await kubectl([
            'kustomize',
            path.dirname(path.join(dir, overlay)),
          ]);
          expect(result.stderr).toBe('');
          expect(result.code).toBe(0);

          const manifests: Manifest[] = parseManifests(result.stdout);
          expect(
            manifests.map(m => `${m.kind}/${m.metadata.name}`).sort(),
          ).toEqual([`ConfigMap/${name}-config`, `Deployment/${name}`]);
          for (const manifest of manifests) {
            expect(() => validateManifest(manifest)).not.toThrow();
            expect((manifest.metadata as any).namespace).toBe(name);
          }
          const deployment = manifests.find(m => m.kind === 'Deployment')!;
          expect(
            deployment.spec.template.spec.containers.map((c: any) => c.image),
          ).toEqual([`ghcr.io/acme/${name}:${version}`]);
          // The desired version the state backend reads is the tag that runs.
          const newTag = yaml
            .parse(kustomizeOverlay(name, env, version))
            .images.find((i: any) => i.name === `ghcr.io/acme/${name}`).newTag;
          expect(deployment.spec.template.spec.containers[0].image).toBe(
            `ghcr.io/acme/${name}:${newTag}`,
          );
        },
      );
    },
  );

  it('fails the build of an overlay whose base is missing', async () => {
    const dir = path.join(root, 'broken');
    writeFiles(dir, {
      'overlays/dev/kustomization.yaml': kustomizeOverlay(
        'ghost',
        'dev',
        '1.0.0',
      ),
    });
    const result = await kubectl(['kustomize', path.join(dir, 'overlays/dev')]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/base/);
  });
});

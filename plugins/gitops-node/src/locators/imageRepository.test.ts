import { parse } from 'yaml';
import type { SlimSource } from '../extensions';
import { builtinVersionLocators } from './builtinVersionLocators';
import { VersionLocators } from './VersionLocators';

const locators = new VersionLocators(
  builtinVersionLocators({ helmValuesKey: 'image.tag' }),
);

function read(
  sources: SlimSource[],
  files: Record<string, string>,
  serviceNames = ['helm-guestbook'],
) {
  return locators.read({
    sources,
    serviceNames,
    readFile: async (_source, path) =>
      path in files
        ? { blobSha: 'b'.repeat(40), document: parse(files[path]) }
        : undefined,
  });
}

const guestbook: SlimSource = {
  repoURL: 'https://github.com/argoproj/argocd-example-apps.git',
  path: 'helm-guestbook',
  targetRevision: 'HEAD',
  valueFiles: ['values-production.yaml'],
};

describe('the image repository read beside the version', () => {
  it('is the Helm image.repository beside image.tag, from whichever values set it (argocd-example-apps helm-guestbook)', async () => {
    // helm-guestbook/values.yaml and values-production.yaml as in argoproj/argocd-example-apps
    const result = await read([guestbook], {
      'helm-guestbook/values.yaml':
        'replicaCount: 1\nimage:\n  repository: gcr.io/google-samples/gb-frontend\n  tag: v5\n  pullPolicy: IfNotPresent\n',
      'helm-guestbook/values-production.yaml':
        'service:\n  type: LoadBalancer\n',
    });
    expect(result).toMatchObject({
      version: 'v5',
      imageRepository: 'gcr.io/google-samples/gb-frontend',
    });
  });

  it('puts image.registry in front of image.repository as Bitnami charts split them, each by Helm precedence', async () => {
    const result = await read(
      [{ ...guestbook, valueFiles: ['values-prod.yaml'] }],
      {
        'helm-guestbook/values.yaml':
          'image:\n  registry: docker.io\n  repository: bitnami/nginx\n  tag: 1.27.0\n',
        'helm-guestbook/values-prod.yaml':
          'image:\n  registry: registry.acme.example\n  tag: 1.27.1\n',
      },
      ['nginx'],
    );
    expect(result).toMatchObject({
      version: '1.27.1',
      imageRepository: 'registry.acme.example/bitnami/nginx',
    });
  });

  it('takes a helm.parameters override of the repository over the values files', async () => {
    const result = await read(
      [
        {
          ...guestbook,
          helmParameters: [
            { name: 'image.repository', value: 'ghcr.io/acme/pay-svc' },
          ],
        },
      ],
      {
        'helm-guestbook/values.yaml':
          'image:\n  repository: gcr.io/google-samples/gb-frontend\n  tag: v5\n',
      },
    );
    expect(result.imageRepository).toBe('ghcr.io/acme/pay-svc');
  });

  it('is absent when nothing sets a repository beside the key', async () => {
    const result = await read([guestbook], {
      'helm-guestbook/values.yaml': 'image:\n  tag: v5\n',
    });
    expect(result).toMatchObject({ version: 'v5' });
    expect(result.imageRepository).toBeUndefined();
  });

  it('is the newName a kustomization renames the service image to', async () => {
    const result = await read(
      [{ repoURL: guestbook.repoURL, path: 'kustomize-guestbook' }],
      {
        'kustomize-guestbook/kustomization.yaml':
          'images:\n  - name: gcr.io/google-samples/gb-frontend\n    newName: ghcr.io/acme/guestbook-ui\n    newTag: v6\n',
      },
      ['guestbook-ui'],
    );
    expect(result).toMatchObject({
      version: 'v6',
      imageRepository: 'ghcr.io/acme/guestbook-ui',
    });
  });

  it('is the target of an Application kustomize.images override', async () => {
    const result = await read(
      [
        {
          repoURL: guestbook.repoURL,
          path: 'kustomize-guestbook',
          kustomizeImages: [
            'gcr.io/heptio-images/ks-guestbook-demo=ghcr.io/acme/guestbook-ui:0.2',
          ],
        },
      ],
      {},
      ['ks-guestbook-demo'],
    );
    expect(result).toMatchObject({
      version: '0.2',
      imageRepository: 'ghcr.io/acme/guestbook-ui',
    });
  });
});

import { ConflictError } from '@backstage/errors';
import { builtinVersionLocators } from './builtinVersionLocators';
import { VersionLocators } from './VersionLocators';

const locators = new VersionLocators(
  builtinVersionLocators({ helmValuesKey: 'image.tag' }),
);

const source = (sourceType: string) => ({
  repoUrl: 'https://github.com/argoproj/argocd-example-apps.git',
  path: 'jsonnet-guestbook',
  ref: 'HEAD',
  locator: {
    type: 'rendered-manifests',
    parameters: {
      image: 'gcr.io/google-samples/gb-frontend:v5',
      sourceType,
    },
  },
});

describe('renderedManifestsLocator', () => {
  it('is built in, describes the rendered image, and finds nothing in Git itself', async () => {
    const locator = locators.forLocator(source('Directory').locator);
    expect(locator.describe(source('Directory').locator)).toBe(
      'image gcr.io/google-samples/gb-frontend:v5 in the manifests Argo CD renders from Jsonnet or plain manifests',
    );
    expect(
      await locator.read({
        sources: [{ repoURL: 'https://github.com/acme/gitops', path: 'x' }],
        serviceNames: ['x'],
        readFile: async () => undefined,
      }),
    ).toBeUndefined();
  });

  it('refuses a promotion with a 409 saying what renders it and what to change by hand', () => {
    const plugin = source('Plugin');
    const check = () =>
      locators.forLocator(plugin.locator).checkWritable!(plugin);
    expect(check).toThrow(ConflictError);
    expect(check).toThrow(
      'The version is the tag of the image gcr.io/google-samples/gb-frontend:v5 in the manifests Argo CD renders from a config management plugin (jsonnet-guestbook), not a value in a file the promotion can edit; change the image tag where a config management plugin set it in https://github.com/argoproj/argocd-example-apps.git by hand, or move the version to Helm values or a kustomization',
    );
  });
});

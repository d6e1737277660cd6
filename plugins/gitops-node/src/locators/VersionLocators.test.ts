import type { GitopsVersionLocator } from '../extensions';
import { builtinVersionLocators } from './builtinVersionLocators';
import { VersionLocators } from './VersionLocators';

function fixedLocator(type: string, version?: string): GitopsVersionLocator {
  return {
    type,
    versionKind: 'image',
    read: async ({ sources }) =>
      version
        ? {
            version,
            source: {
              repoUrl: sources[0].repoURL,
              path: 'VERSION',
              ref: 'main',
              locator: { type },
            },
          }
        : undefined,
    find: () => {
      throw new Error('not used');
    },
    describe: () => type,
  };
}

const context = (files: Record<string, unknown>) => ({
  sources: [{ repoURL: 'https://git.example.test/acme/gitops', path: 'web' }],
  serviceNames: ['web'],
  readFile: async (_source: unknown, path: string) =>
    path in files
      ? { blobSha: 'b'.repeat(40), document: files[path] }
      : undefined,
});

describe('VersionLocators', () => {
  it('takes the version of the first locator that finds one, in the order added', async () => {
    const locators = new VersionLocators([
      fixedLocator('none'),
      fixedLocator('first', '1.0.0'),
      fixedLocator('second', '2.0.0'),
    ]);
    expect(await locators.read(context({}))).toMatchObject({
      version: '1.0.0',
      source: { locator: { type: 'first' } },
    });
  });

  it('asks a module locator after the built-ins, which leave it what they do not find', async () => {
    const locators = new VersionLocators([
      ...builtinVersionLocators({ helmValuesKey: 'image.tag' }),
      fixedLocator('release-json', '3.0.0'),
    ]);
    expect(
      (await locators.read(context({ 'web/values.yaml': { image: {} } })))
        .version,
    ).toBe('3.0.0');
    expect(
      (
        await locators.read(
          context({ 'web/values.yaml': { image: { tag: '1.2.0' } } }),
        )
      ).source?.locator,
    ).toEqual({ type: 'helm-values', key: 'image.tag' });
  });

  it('answers why when no locator finds a version', async () => {
    expect(
      await new VersionLocators([fixedLocator('none')]).read(context({})),
    ).toEqual({
      reason:
        'none of the version locators (none) found a version in https://git.example.test/acme/gitops/web',
    });
    const builtins = new VersionLocators(
      builtinVersionLocators({ helmValuesKey: 'image.tag' }),
    );
    expect(
      (await builtins.read(context({ 'web/values.yaml': { image: {} } })))
        .reason,
    ).toBe(
      'no kustomization in web or its bases sets an image of web; no Helm values source sets image.tag (looked in web/values.yaml of https://git.example.test/acme/gitops)',
    );
  });

  it('refuses a second locator of one type, and a write no locator of its type can do', () => {
    const locators = new VersionLocators([fixedLocator('release-json')]);
    expect(() =>
      locators.addVersionLocator(fixedLocator('release-json')),
    ).toThrow('A version locator of type release-json is added twice');
    expect(() => locators.forLocator({ type: 'flux-image' })).toThrow(
      'No version locator of type flux-image is installed (installed: release-json); add the backend module that provides it',
    );
    expect(locators.forLocator({ type: 'release-json' }).type).toBe(
      'release-json',
    );
  });
});

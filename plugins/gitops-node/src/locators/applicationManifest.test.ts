import { parseAllDocuments } from 'yaml';
import type { VersionReadContext } from '../extensions/versionLocators';
import {
  findApplicationManifest,
  findInApplicationDocument,
} from './applicationManifest';

const REPO = 'https://github.example/acme/gitops';

const manifest = (
  name: string,
  tag: string,
) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  source:
    repoURL: https://github.example/acme/charts
    path: charts/service
    helm:
      parameters:
        - name: image.tag
          value: ${tag} # the release
          forceString: true
`;

const TWO_APPS = `# the team's services\n${manifest(
  'web-dev',
  '1.0.0',
)}---\n${manifest('web-prod', '0.9.0')}`;

function context(
  files: Record<string, string>,
  parentPath: string | undefined,
  options: { recurse?: boolean; sourceType?: string } = {},
): VersionReadContext {
  return {
    sources: [{ repoURL: 'https://github.example/acme/charts' }],
    serviceNames: ['web'],
    readFile: async (_source, path) => {
      const documents = parseAllDocuments(files[path]).map(d => d.toJS());
      return { blobSha: 'b'.repeat(40), document: documents[0], documents };
    },
    application: {
      name: 'web-prod',
      namespace: 'argocd',
      parent:
        parentPath === undefined
          ? undefined
          : {
              name: 'root',
              sources: [
                {
                  repoURL: REPO,
                  path: parentPath,
                  directoryRecurse: options.recurse,
                  sourceType: options.sourceType ?? 'Directory',
                },
              ],
            },
    },
    listFiles: async (_source, path, listOptions) =>
      Object.keys(files).filter(
        f =>
          f.startsWith(`${path}/`) &&
          (listOptions?.recursive || !f.slice(path.length + 1).includes('/')),
      ),
  };
}

describe('findApplicationManifest', () => {
  it('finds the one Application document with the name in the parent directory, recursing under directory.recurse', async () => {
    const files = { 'apps/team/web.yaml': TWO_APPS, 'apps/notes.md': '# x' };
    expect(
      await findApplicationManifest(
        context(files, 'apps', { recurse: true }),
        'x',
      ),
    ).toMatchObject({ path: 'apps/team/web.yaml', source: { repoURL: REPO } });
    expect(
      await findApplicationManifest(context(files, 'apps'), 'the item'),
    ).toEqual({
      reason: `no manifest of Application web-prod is in the parent Application root (searched 0 files in ${REPO}/apps); change the item of Application web-prod by hand where it is kept`,
    });
  });

  it('says why when no parent tracks the Application, the parent renders with Helm, or two files hold it', async () => {
    const files = { 'apps/a.yaml': TWO_APPS, 'apps/b.yaml': TWO_APPS };
    expect(
      (await findApplicationManifest(context(files, undefined), 'x')).reason,
    ).toContain('no known app-of-apps parent tracks web-prod');
    expect(
      (
        await findApplicationManifest(
          context(files, 'apps', { sourceType: 'Helm' }),
          'the helm.parameters item image.tag',
        )
      ).reason,
    ).toBe(
      `the parent Application root renders ${REPO}/apps with Helm (its templates hold the manifest of web-prod), so no file holds the helm.parameters item image.tag as a value; change the value the template takes for web-prod by hand`,
    );
    expect(
      (await findApplicationManifest(context(files, 'apps'), 'x')).reason,
    ).toBe(
      'the manifest of web-prod is in apps/a.yaml and apps/b.yaml of the parent Application root, so which one Argo CD applies is not clear; keep one and promote again',
    );
  });
});

describe('findInApplicationDocument', () => {
  it('edits only the named document, at its line in the whole file', () => {
    const field = findInApplicationDocument(
      TWO_APPS,
      {
        locator: { type: 'helm-parameter', name: 'image.tag' },
        path: 'apps/web.yaml',
      },
      'web-prod',
    );
    expect(field).toMatchObject({
      value: '0.9.0',
      line: 29,
      field:
        'spec.source.helm.parameters[name=image.tag].value of Application web-prod',
    });
    expect(TWO_APPS.split('\n')[field.line - 1]).toContain('value: 0.9.0');
    const after = field.replace('1.0.0');
    expect(after).toBe(
      TWO_APPS.replace(
        'value: 0.9.0 # the release',
        'value: 1.0.0 # the release',
      ),
    );
    expect(after).toContain(
      'value: 1.0.0 # the release\n          forceString: true',
    );
  });

  it('refuses a file without the Application, which moved since the read', () => {
    expect(() =>
      findInApplicationDocument(
        TWO_APPS,
        {
          locator: { type: 'helm-parameter', name: 'image.tag' },
          path: 'apps/web.yaml',
        },
        'web-stage',
      ),
    ).toThrow(
      'apps/web.yaml has no Application web-stage documents; the state is out of date or the manifest moved, reload and promote again',
    );
  });
});

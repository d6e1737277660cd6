import { parseAllDocuments } from 'yaml';
import { findYamlScalar } from './findYamlScalar';
import { replaceYamlScalar } from './replaceYamlScalar';
import { parseYamlKey, YamlPath } from './yamlPath';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const DIGEST2 = `sha256:${'b'.repeat(64)}`;

interface Fixture {
  name: string;
  source: string;
  path: YamlPath | string;
  to: string;
  /** The value expected to be replaced, as the file shows it (quotes included). */
  from: string;
}

const lines = (...l: string[]) => `${l.join('\n')}\n`;
const crlf = (...l: string[]) => `${l.join('\r\n')}\r\n`;

const fixtures: Fixture[] = [
  {
    name: 'bare tag under image',
    source: lines(
      'image:',
      '  repository: ghcr.io/acme/checkout-api',
      '  tag: 1.4.2',
    ),
    path: 'image.tag',
    from: '1.4.2',
    to: '1.5.0',
  },
  {
    name: 'double-quoted tag with trailing comment',
    source: lines(
      '# Values for checkout-api in prod',
      'replicaCount: 3 # scaled by HPA',
      '',
      'image:',
      '  # the image to run',
      '  repository: "ghcr.io/acme/checkout-api"',
      '  tag: "1.4.2"   # promoted by the portal',
      '  pullPolicy: IfNotPresent',
    ),
    path: 'image.tag',
    from: '"1.4.2"',
    to: '1.5.0',
  },
  {
    name: 'single-quoted tag',
    source: lines('image:', "  tag: '1.4.2'", "  repository: 'ghcr.io/acme/x'"),
    path: 'image.tag',
    from: "'1.4.2'",
    to: '1.5.0',
  },
  {
    name: 'CRLF line endings',
    source: crlf(
      '# prod',
      'image:',
      '  repository: ghcr.io/acme/a',
      '  tag: 1.4.2 # pinned',
      '',
      'resources: {}',
    ),
    path: 'image.tag',
    from: '1.4.2',
    to: '1.5.0',
  },
  {
    name: 'CRLF with quoted value and blank lines',
    source: crlf(
      '',
      'image:',
      '',
      '  tag: "v2.0.0"',
      '',
      '',
      'service:',
      '  port: 80',
    ),
    path: 'image.tag',
    from: '"v2.0.0"',
    to: 'v2.1.0',
  },
  {
    name: 'tag@digest bare',
    source: lines('image:', `  tag: 1.4.2@${DIGEST}`),
    path: 'image.tag',
    from: `1.4.2@${DIGEST}`,
    to: `1.5.0@${DIGEST2}`,
  },
  {
    name: 'tag@digest quoted',
    source: lines('image:', `  tag: "1.4.2@${DIGEST}" # pinned by digest`),
    path: 'image.tag',
    from: `"1.4.2@${DIGEST}"`,
    to: `1.5.0@${DIGEST2}`,
  },
  {
    name: 'digest only',
    source: lines(
      'image:',
      '  repository: ghcr.io/acme/a',
      `  digest: ${DIGEST}`,
    ),
    path: 'image.digest',
    from: DIGEST,
    to: DIGEST2,
  },
  {
    name: 'flow map',
    source: lines(
      'image: {repository: ghcr.io/acme/a, tag: 1.4.2, pullPolicy: Always}',
    ),
    path: 'image.tag',
    from: '1.4.2',
    to: '1.5.0',
  },
  {
    name: 'flow map with quoted tag and spaces',
    source: lines(
      'image: { repository: "ghcr.io/acme/a" ,  tag: "1.4.2" }   # inline',
    ),
    path: 'image.tag',
    from: '"1.4.2"',
    to: '1.5.0',
  },
  {
    name: 'deep key',
    source: lines(
      'global:',
      '  workloads:',
      '    api:',
      '      containers:',
      '        main:',
      '          image:',
      '            tag: 1.4.2 # deep',
      '        sidecar:',
      '          image:',
      '            tag: 9.9.9',
    ),
    path: 'global.workloads.api.containers.main.image.tag',
    from: '1.4.2',
    to: '1.5.0',
  },
  {
    name: 'sequence index in key',
    source: lines(
      'deployments:',
      '  - name: api',
      '    image:',
      '      tag: 1.4.2',
      '  - name: worker',
      '    image:',
      '      tag: 1.4.2',
    ),
    path: 'deployments[1].image.tag',
    from: '1.4.2',
    to: '1.5.0',
  },
  {
    name: 'anchor on the value itself, aliased once',
    source: lines(
      'appVersion: &version 1.4.2',
      'image:',
      '  tag: *version',
      'other: value',
    ),
    path: 'image.tag',
    from: '1.4.2',
    to: '1.5.0',
  },
  {
    name: 'anchored map used by one alias',
    source: lines(
      'x-image: &image',
      '  repository: ghcr.io/acme/a',
      '  tag: "1.4.2"',
      'deployment:',
      '  image: *image',
    ),
    path: 'deployment.image.tag',
    from: '"1.4.2"',
    to: '1.5.0',
  },
  {
    name: 'merge key from an anchored map',
    source: lines(
      'defaults: &defaults',
      '  tag: 1.4.2',
      '  pullPolicy: Always',
      'image:',
      '  <<: *defaults',
      '  repository: ghcr.io/acme/a',
    ),
    path: 'image.tag',
    from: '1.4.2',
    to: '1.5.0',
  },
  {
    name: 'anchors elsewhere in the file stay untouched',
    source: lines(
      'resources: &res',
      '  cpu: 100m',
      'worker:',
      '  resources: *res',
      'image:',
      '  tag: 1.4.2',
    ),
    path: 'image.tag',
    from: '1.4.2',
    to: '1.5.0',
  },
  {
    name: 'multi-document: edit the second document',
    source: lines(
      'apiVersion: v1',
      'kind: ConfigMap',
      'data:',
      '  a: "1"',
      '---',
      '# the app',
      'image:',
      '  tag: 1.4.2',
      '---',
      'kind: Other',
    ),
    path: 'image.tag',
    from: '1.4.2',
    to: '1.5.0',
  },
  {
    name: 'multi-document with document end markers and CRLF',
    source: crlf('a: 1', '...', '---', 'image:', '  tag: "1.4.2"', '...'),
    path: 'image.tag',
    from: '"1.4.2"',
    to: '1.5.0',
  },
  {
    name: 'kustomize image by name',
    source: lines(
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '  - ../../base',
      'images:',
      '  - name: ghcr.io/acme/payments-worker # worker',
      '    newTag: 2.3.1',
      '  - name: busybox',
      '    newTag: "1.36"',
    ),
    path: [
      'images',
      { where: { name: 'ghcr.io/acme/payments-worker' } },
      'newTag',
    ],
    from: '2.3.1',
    to: '2.4.0',
  },
  {
    name: 'kustomize flow sequence',
    source: lines(
      'images: [{name: app, newTag: 2.3.1}, {name: db, newTag: "15"}]',
    ),
    path: ['images', { where: { name: 'app' } }, 'newTag'],
    from: '2.3.1',
    to: '2.4.0',
  },
  {
    name: 'kustomize with newName',
    source: lines(
      'images:',
      '- name: app',
      '  newName: registry.acme.internal/app',
      "  newTag: '2.3.1'",
    ),
    path: [
      'images',
      { where: { newName: 'registry.acme.internal/app' } },
      'newTag',
    ],
    from: "'2.3.1'",
    to: '2.4.0',
  },
  {
    name: 'Application chart targetRevision',
    source: lines(
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Application',
      'metadata:',
      '  name: storefront-web-prod-eu-1',
      '  namespace: argocd',
      'spec:',
      '  project: default',
      '  source:',
      '    repoURL: https://charts.acme.internal',
      '    chart: storefront-web',
      '    targetRevision: 1.4.2 # chart version',
      '  destination:',
      '    name: prod-eu-1',
    ),
    path: ['spec', 'source', 'targetRevision'],
    from: '1.4.2',
    to: '1.5.0',
  },
  {
    name: 'Application with several sources',
    source: lines(
      'spec:',
      '  sources:',
      '    - repoURL: https://charts.acme.internal',
      '      chart: storefront-web',
      '      targetRevision: "1.4.2"',
      '    - repoURL: https://github.com/acme/web-gitops',
      '      targetRevision: main',
      '      ref: values',
    ),
    path: ['spec', 'sources', { where: { chart: true } }, 'targetRevision'],
    from: '"1.4.2"',
    to: '1.5.0',
  },
  {
    name: 'comment between key and value',
    source: lines('image:', '  tag: # set by CI', '    1.4.2', 'x: y'),
    path: 'image.tag',
    from: '1.4.2',
    to: '1.5.0',
  },
  {
    name: 'explicit !!str tag',
    source: lines('image:', '  tag: !!str 1.4', 'a: b'),
    path: 'image.tag',
    from: '1.4',
    to: '1.10',
  },
  {
    name: 'plain value that would become a number is quoted',
    source: lines('image:', '  tag: v1.4', '  other: 1'),
    path: 'image.tag',
    from: 'v1.4',
    to: '1.10',
  },
  {
    name: 'keys with unusual order and indentation',
    source: lines(
      'image:',
      '    tag:      1.4.2',
      '    repository:    a',
      'aaa: 1',
    ),
    path: 'image.tag',
    from: '1.4.2',
    to: '1.5.0-rc.1',
  },
  {
    name: 'file without trailing newline',
    source: 'image:\n  tag: 1.4.2',
    path: 'image.tag',
    from: '1.4.2',
    to: '1.5.0',
  },
  {
    name: 'file with BOM-free leading comments and directives',
    source: lines('%YAML 1.2', '---', '# header', 'image:', '  tag: 1.4.2'),
    path: 'image.tag',
    from: '1.4.2',
    to: '1.5.0',
  },
  {
    name: 'same key name elsewhere is left alone',
    source: lines(
      'tag: 0.0.1',
      'image:',
      '  tag: 1.4.2',
      'sidecar:',
      '  image:',
      '    tag: 1.4.2',
    ),
    path: 'image.tag',
    from: '1.4.2',
    to: '1.5.0',
  },
  {
    name: 'value with build metadata and underscores',
    source: lines('image:', '  tag: build_2024.10.01-abc'),
    path: 'image.tag',
    from: 'build_2024.10.01-abc',
    to: 'build_2024.11.02-def',
  },
  {
    name: 'long file with many comments and lists',
    source: lines(
      '## @section Global parameters',
      '## @param global.imageRegistry Global Docker image registry',
      'global:',
      '  imageRegistry: ""',
      '  ## E.g.',
      '  ## imagePullSecrets:',
      '  ##   - myRegistryKeySecretName',
      '  imagePullSecrets: []',
      '',
      '## @section Common parameters',
      'nameOverride: ""',
      'image:',
      '  registry: docker.io',
      '  repository: acme/storefront-web',
      '  tag: 1.4.2-debian-12-r0',
      '  ## Specify a imagePullPolicy',
      '  pullPolicy: IfNotPresent',
      'ingress:',
      '  hosts:',
      '    - host: shop.acme.example',
      '      paths: ["/"]',
    ),
    path: 'image.tag',
    from: '1.4.2-debian-12-r0',
    to: '1.5.0-debian-12-r0',
  },
  {
    name: 'tabs in comments and trailing spaces preserved',
    source: 'image:   \n  tag: 1.4.2\t# tab comment   \n  x: 1  \n',
    path: 'image.tag',
    from: '1.4.2',
    to: '1.5.0',
  },
  {
    name: 'numeric-looking bare value that is a float',
    source: lines('image:', '  tag: 1.4'),
    path: 'image.tag',
    from: '1.4',
    to: '1.5.0',
  },
];

function toPath(path: YamlPath | string): YamlPath {
  return typeof path === 'string' ? parseYamlKey(path) : path;
}

function withoutQuotes(text: string): string {
  return text.replace(/^(["'])(.*)\1$/, '$2');
}

describe('replaceYamlScalar fidelity', () => {
  it('has at least 30 files', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
  });

  it.each(fixtures.map(f => [f.name, f] as const))('%s', (_name, fixture) => {
    const { source, to } = fixture;
    const edit = replaceYamlScalar(
      source,
      toPath(fixture.path),
      to,
      'values.yaml',
    );

    // the replaced text is exactly the old scalar, as written
    expect(source.slice(...edit.before.range)).toBe(fixture.from);
    expect(edit.changed).toBe(true);
    expect(withoutQuotes(edit.written)).toBe(to);
    // everything before and after the scalar is byte-identical
    const [start, end] = edit.before.range;
    expect(edit.content.slice(0, start)).toBe(source.slice(0, start));
    expect(edit.content.slice(start + edit.written.length)).toBe(
      source.slice(end),
    );
    expect(edit.content.length).toBe(
      source.length - (end - start) + edit.written.length,
    );
    // quoting style is kept unless a plain value would stop being a string
    const quote =
      fixture.from[0] === '"' || fixture.from[0] === "'" ? fixture.from[0] : '';
    const expectedQuote = edit.quoted ? '"' : quote;
    expect(edit.quoted && quote !== '').toBe(false);
    expect(edit.written).toBe(`${expectedQuote}${to}${expectedQuote}`);
    // the data is the same apart from the new value
    const before = parseAllDocuments(source).map(d => JSON.stringify(d.toJS()));
    const after = parseAllDocuments(edit.content).map(d =>
      JSON.stringify(d.toJS()),
    );
    expect(after).toHaveLength(before.length);
    const changedDocuments = after
      .map((doc, index) => (doc === before[index] ? -1 : index))
      .filter(index => index !== -1);
    expect(changedDocuments).toEqual([edit.before.documentIndex]);
    expect(findYamlScalar(edit.content, toPath(fixture.path)).value).toBe(to);
  });

  it('keeps a plain value plain when it stays a string', () => {
    const edit = replaceYamlScalar(
      'image:\n  tag: 1.4.2\n',
      ['image', 'tag'],
      '1.5.0',
    );
    expect(edit.content).toBe('image:\n  tag: 1.5.0\n');
    expect(edit.quoted).toBe(false);
  });

  it('quotes a plain value that YAML would read as a number', () => {
    const edit = replaceYamlScalar(
      'image:\n  tag: v1\n',
      ['image', 'tag'],
      '1.10',
    );
    expect(edit.content).toBe('image:\n  tag: "1.10"\n');
    expect(edit.quoted).toBe(true);
  });

  it('reports no change when the value is already there', () => {
    const source = 'image:\n  tag: "1.5.0"\n';
    const edit = replaceYamlScalar(source, ['image', 'tag'], '1.5.0');
    expect(edit.changed).toBe(false);
    expect(edit.content).toBe(source);
  });
});

import { parseAllDocuments } from 'yaml';
import type { VersionReadContext } from '../extensions/versionLocators';
import { manifestImageLocator } from './manifestImageLocator';

const REPO = 'https://github.example/acme/gitops';

const CRONJOB = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - name: migrate
              image: "ghcr.io/acme/report:1.2.0" # same image, init
          containers:
            - name: proxy
              image: envoyproxy/envoy:v1.30.1
`;

function context(
  files: Record<string, string>,
  imageRepositories?: string[],
): VersionReadContext {
  return {
    sources: [{ repoURL: REPO, path: 'report', sourceType: 'Directory' }],
    serviceNames: ['report'],
    imageRepositories,
    readFile: async (_source, path) => {
      const documents = parseAllDocuments(files[path]).map(d => d.toJS());
      return { blobSha: 'b'.repeat(40), document: documents[0], documents };
    },
    listFiles: async () => Object.keys(files),
  };
}

describe('manifestImageLocator', () => {
  const locator = manifestImageLocator();

  it('reads and writes the tag of an init container of a CronJob, keeping the quotes and the rest', async () => {
    const found = await locator.read(context({ 'report/cron.yaml': CRONJOB }));
    expect(found).toMatchObject({
      version: '1.2.0',
      source: {
        path: 'report/cron.yaml',
        locator: {
          type: 'manifest-image',
          kind: 'CronJob',
          workload: 'report',
          container: 'migrate',
          init: true,
        },
      },
    });
    const field = locator.find(CRONJOB, {
      locator: found!.source!.locator,
      path: 'report/cron.yaml',
    });
    expect([field.value, field.line]).toEqual(['1.2.0', 13]);
    expect(field.replace('1.3.0')).toBe(
      CRONJOB.replace('report:1.2.0"', 'report:1.3.0"'),
    );
    expect(() => field.replace('1.3.0\nkind: Pod')).toThrow(
      'Refusing to write',
    );
  });

  it('is unknown, naming the images, when several containers are the service image', async () => {
    const twice = `${CRONJOB}---\n${CRONJOB.replace(
      'name: report',
      'name: report-eu',
    )}`;
    expect(
      (await locator.read(context({ 'report/cron.yaml': twice })))?.reason,
    ).toBe(
      `2 container images of the manifests in ${REPO}/report are named report (ghcr.io/acme/report:1.2.0 in report/cron.yaml, ghcr.io/acme/report:1.2.0 in report/cron.yaml), so which one holds the version is not clear`,
    );
  });

  it('matches by the entity image repositories when given, and refuses a digest', async () => {
    const pinned = CRONJOB.replace(
      'envoy:v1.30.1',
      `envoy@sha256:${'a'.repeat(64)}`,
    );
    const found = await locator.read(
      context({ 'report/cron.yaml': pinned }, ['docker.io/envoyproxy/envoy']),
    );
    expect(found?.source?.locator).toMatchObject({ container: 'proxy' });
    expect(() =>
      locator.find(pinned, {
        locator: found!.source!.locator,
        path: 'report/cron.yaml',
      }),
    ).toThrow(
      'report/cron.yaml (CronJob report) pins envoyproxy/envoy@sha256:',
    );
  });
});

import { ConfigReader } from '@backstage/config';
import { readGitopsConfig } from './readGitopsConfig';
import { expectedSyncPolicy, readinessSeverity } from './readinessConfig';

function read(gitops: Record<string, unknown> = {}) {
  return readGitopsConfig(
    new ConfigReader({
      gitops: {
        environments: [
          { name: 'dev', clusters: ['dev-1'] },
          { name: 'prod', clusters: ['prod-1'] },
        ],
        clusters: [{ name: 'dev-1' }, { name: 'prod-1' }],
        ...gitops,
      },
    }),
  );
}

describe('gitops.readiness', () => {
  it('defaults to the seeds’ standard: every check on, automated sync with prune and selfHeal except the last environment, no digest', () => {
    const config = read();
    expect(config.readiness.enabled).toBe(true);
    expect(expectedSyncPolicy(config, 'dev')).toEqual({
      automated: true,
      prune: true,
      selfHeal: true,
    });
    expect(expectedSyncPolicy(config, 'prod').automated).toBe(false);
    expect(readinessSeverity(config.readiness, 'project', 'prod')).toBe(
      'error',
    );
    expect(readinessSeverity(config.readiness, 'network-policy', 'dev')).toBe(
      'warning',
    );
    expect(readinessSeverity(config.readiness, 'image-digest', 'prod')).toBe(
      'off',
    );
  });

  it('reads severities per environment, disabled checks, digest environments and sync policies', () => {
    const config = read({
      template: { syncPolicy: { prod: 'automated' } },
      readiness: {
        digestRequiredIn: ['prod'],
        checks: {
          rollback: { enabled: false },
          project: { severity: 'warning', environments: { prod: 'error' } },
        },
        syncPolicy: { dev: { prune: false } },
      },
    });
    expect(readinessSeverity(config.readiness, 'image-digest', 'prod')).toBe(
      'error',
    );
    expect(readinessSeverity(config.readiness, 'rollback', 'dev')).toBe('off');
    expect(readinessSeverity(config.readiness, 'project', 'dev')).toBe(
      'warning',
    );
    expect(readinessSeverity(config.readiness, 'project', 'prod')).toBe(
      'error',
    );
    expect(expectedSyncPolicy(config, 'dev').prune).toBe(false);
    // the template's sync policy is the default of readiness's
    expect(expectedSyncPolicy(config, 'prod')).toEqual({
      automated: true,
      prune: true,
      selfHeal: true,
    });
  });

  it('names every wrong key with what to write', () => {
    expect(() =>
      read({
        readiness: {
          digestRequiredIn: ['qa'],
          checks: {
            'no-such-check': {},
            project: { severity: 'fatal', environments: { dev: 'loud' } },
          },
        },
      }),
    ).toThrow(
      /gitops.readiness.checks.no-such-check: no such check; known checks: sync-automated.*gitops.readiness.checks.project.environments.dev: must be one of error, warning, info, off, not 'loud'.*gitops.readiness.checks.project.severity: must be one of error, warning, info, not 'fatal'.*gitops.readiness.digestRequiredIn: qa is not a configured environment \(dev, prod\)/,
    );
  });
});

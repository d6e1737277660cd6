import { projectApplication } from '../sources/projectApplication';
import { applicationChecks } from './applicationChecks';

/** An Application as Argo CD's docs write it, with the spec fields a case varies. */
function app(spec: Record<string, unknown>) {
  return projectApplication({
    metadata: { name: 'guestbook', namespace: 'argocd' },
    spec: {
      project: 'team-a',
      source: {
        repoURL: 'https://github.com/argoproj/argocd-example-apps.git',
        path: 'guestbook',
        targetRevision: 'HEAD',
      },
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: 'guestbook',
      },
      ...spec,
    },
  });
}

const AUTOMATED = { automated: true, prune: true, selfHeal: true };
const MANUAL = { automated: false, prune: false, selfHeal: false };
const byId = (outcomes: ReturnType<typeof applicationChecks>) =>
  Object.fromEntries(outcomes.map(o => [o.id, o]));

describe('applicationChecks', () => {
  // https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/: automated: {} syncs, but
  // neither prunes nor self-heals unless asked
  it('fails prune and selfHeal of automated: {} where the environment wants both', () => {
    const checks = byId(
      applicationChecks(app({ syncPolicy: { automated: {} } }), AUTOMATED),
    );
    expect(checks['sync-automated'].result).toBe('pass');
    expect(checks['sync-prune']).toMatchObject({
      result: 'fail',
      reason: 'automated.prune is false',
    });
    expect(checks['sync-self-heal'].result).toBe('fail');
  });

  it('passes automated sync with prune and selfHeal', () => {
    const checks = byId(
      applicationChecks(
        app({ syncPolicy: { automated: { prune: true, selfHeal: true } } }),
        AUTOMATED,
      ),
    );
    expect(
      ['sync-automated', 'sync-prune', 'sync-self-heal'].map(
        id => checks[id].result,
      ),
    ).toEqual(['pass', 'pass', 'pass']);
  });

  // Argo CD 3: automated.enabled: false switches automated sync off with prune/selfHeal kept
  it('reads automated.enabled: false as sync by hand', () => {
    const checks = byId(
      applicationChecks(
        app({
          syncPolicy: { automated: { enabled: false, prune: true } },
        }),
        AUTOMATED,
      ),
    );
    expect(checks['sync-automated'].result).toBe('fail');
    expect(checks['sync-prune'].reason).toBe(
      'automated sync is off, so there is no prune',
    );
  });

  it('fails automated sync where the environment syncs by hand, and skips prune there', () => {
    const outcomes = applicationChecks(
      app({ syncPolicy: { automated: { prune: true } } }),
      MANUAL,
    );
    expect(byId(outcomes)['sync-automated'].result).toBe('fail');
    expect(outcomes.map(o => o.id)).not.toContain('sync-prune');
  });

  // https://argo-cd.readthedocs.io/en/stable/user-guide/diffing/: replicas an HPA owns
  it('passes ignoreDifferences of Deployment /spec/replicas and of managedFieldsManagers kube-controller-manager', () => {
    const checks = byId(
      applicationChecks(
        app({
          ignoreDifferences: [
            {
              group: 'apps',
              kind: 'Deployment',
              jsonPointers: ['/spec/replicas'],
            },
            {
              group: 'apps',
              kind: 'Deployment',
              managedFieldsManagers: ['kube-controller-manager'],
            },
            {
              group: 'admissionregistration.k8s.io',
              kind: 'MutatingWebhookConfiguration',
              jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
            },
          ],
        }),
        MANUAL,
      ),
    );
    expect(checks['ignore-differences']).toMatchObject({
      result: 'pass',
      reason: 'ignores only controller-owned fields',
    });
  });

  // the docs' other example: an annotation or a container image is content from Git
  it('fails ignoreDifferences of fields Git owns', () => {
    const checks = byId(
      applicationChecks(
        app({
          ignoreDifferences: [
            {
              group: 'apps',
              kind: 'Deployment',
              name: 'guestbook-ui',
              jsonPointers: ['/spec/replicas', '/metadata/annotations'],
            },
            {
              kind: 'Deployment',
              jqPathExpressions: ['.spec.template.spec.containers[0].image'],
            },
          ],
        }),
        MANUAL,
      ),
    );
    expect(checks['ignore-differences']).toMatchObject({
      result: 'fail',
      reason:
        'ignores Deployment guestbook-ui /metadata/annotations, Deployment .spec.template.spec.containers[0].image',
    });
  });

  it('is unknown when more fields are ignored than the projection keeps', () => {
    const checks = byId(
      applicationChecks(
        app({
          ignoreDifferences: Array.from({ length: 7 }, () => ({
            kind: 'Deployment',
            jsonPointers: ['/spec/replicas'],
          })),
        }),
        MANUAL,
      ),
    );
    expect(checks['ignore-differences']).toMatchObject({
      result: 'unknown',
      reason: '1 more ignored fields than the suite keeps per Application',
    });
  });

  // https://argo-cd.readthedocs.io/en/stable/user-guide/projects/: the default project allows
  // any source, destination and kind
  it('fails the default project and passes a team project', () => {
    expect(
      byId(applicationChecks(app({ project: 'default' }), MANUAL)).project,
    ).toMatchObject({ result: 'fail', reason: 'in the default project' });
    expect(byId(applicationChecks(app({}), MANUAL)).project.result).toBe(
      'pass',
    );
  });
});

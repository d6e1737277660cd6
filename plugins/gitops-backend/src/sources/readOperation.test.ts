import { elideMiddle, readOperation } from './readOperation';

describe('readOperation', () => {
  it('is undefined before the first operation', () => {
    expect(readOperation({})).toBeUndefined();
  });

  it('keeps the phase only once a sync succeeded', () => {
    expect(
      readOperation({
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
      }),
    ).toEqual({ phase: 'Succeeded' });
  });

  it('names failed hooks first, then failed resources, and not what the message says already', () => {
    const reason =
      'Deployment.apps "api" is invalid: spec.replicas: Invalid value: -1';
    expect(
      readOperation({
        phase: 'Failed',
        message: `one or more objects failed to apply, reason: ${reason}`,
        syncResult: {
          resources: [
            {
              kind: 'Deployment',
              name: 'api',
              status: 'SyncFailed',
              message: reason,
            },
            { kind: 'Service', name: 'api', status: 'Synced' },
            {
              kind: 'Job',
              namespace: 'shop',
              name: 'migrate',
              hookType: 'PreSync',
              hookPhase: 'Error',
              message: 'pod was deleted',
            },
          ],
        },
      }),
    ).toEqual({
      phase: 'Failed',
      message: `one or more objects failed to apply, reason: ${reason}`,
      failed: [
        {
          kind: 'Job',
          namespace: 'shop',
          name: 'migrate',
          hookType: 'PreSync',
          message: 'pod was deleted',
        },
        { kind: 'Deployment', name: 'api' },
      ],
    });
  });

  it('drops credentials from messages', () => {
    expect(
      readOperation({
        phase: 'Error',
        message:
          'rpc error: failed to fetch https://deploy:s3cret@github.example.com/acme/gitops.git',
      })?.message,
    ).toBe(
      'rpc error: failed to fetch https://github.example.com/acme/gitops.git',
    );
  });
});

describe('elideMiddle', () => {
  it('keeps the start and the end, where Kubernetes says why', () => {
    expect(elideMiddle(`${'a'.repeat(50)}the reason`, 21)).toBe(
      'aaaaaaaa…aathe reason',
    );
    expect(elideMiddle('short', 21)).toBe('short');
  });
});

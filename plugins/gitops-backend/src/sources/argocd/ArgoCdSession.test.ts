import { mockServices } from '@backstage/backend-test-utils';
import http from 'node:http';
import { fullApplication } from '../../__testUtils__/applications';
import { fakeArgoCd, startFakeServer } from '../../__testUtils__/fakeServers';
import { ApplicationStore } from '../../store/ApplicationStore';
import { classifyError, SourceAuthError } from '../classifyError';
import { ArgoCdApplicationSource } from './ArgoCdApplicationSource';
import { ArgoCdSession, readJwtTimes } from './ArgoCdSession';

const base64url = (value: unknown) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT-shaped token as Argo CD issues them (the signature is not checked by clients). */
function jwt(claims: Record<string, unknown>) {
  return `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(
    claims,
  )}.c2lnbmF0dXJl`;
}

const readBody = async (req: http.IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
};

describe('ArgoCdSession', () => {
  let server: Awaited<ReturnType<typeof startFakeServer>>;
  const logins: { username: string; password: string }[] = [];
  const argo = {
    apps: [
      fullApplication({
        name: 'web-prod-us-1',
        service: 'web',
        cluster: 'prod-us-1',
        version: '1.4.2',
      }),
    ],
    token: '',
  };
  /** Seconds a session lasts; undefined: tokens without exp. */
  let lifetime: number | undefined;
  let sessionStatus = 200;
  /** The API answers 401 to every token, also one just issued (e.g. the account lost access). */
  let rejectEveryToken = false;

  beforeEach(async () => {
    logins.length = 0;
    rejectEveryToken = false;
    lifetime = 600;
    sessionStatus = 200;
    argo.token = '';
    const api = fakeArgoCd(argo);
    server = await startFakeServer(async (req, res) => {
      if (req.url !== '/api/v1/session' || req.method !== 'POST') {
        if (rejectEveryToken) {
          res.writeHead(401).end('{"message":"invalid session"}');
          return;
        }
        api(req, res);
        return;
      }
      const body = await readBody(req);
      logins.push(body);
      res.setHeader('content-type', 'application/json');
      if (sessionStatus >= 500) {
        res.writeHead(sessionStatus).end('{"message":"internal error"}');
        return;
      }
      if (body.username !== 'admin' || body.password !== 'secret') {
        res.writeHead(401).end(
          JSON.stringify({
            error: 'Invalid username or password',
            code: 16,
            message: 'Invalid username or password',
          }),
        );
        return;
      }
      const iat = Math.floor(Date.now() / 1000);
      argo.token = jwt({
        iss: 'argocd',
        sub: 'admin:login',
        iat,
        jti: `session-${logins.length}`,
        ...(lifetime === undefined ? {} : { exp: iat + lifetime }),
      });
      res.writeHead(200).end(JSON.stringify({ token: argo.token }));
    });
  });

  afterEach(async () => {
    jest.useRealTimers();
    await server.close();
  });

  function createSession(password = 'secret') {
    return new ArgoCdSession({
      baseUrl: server.url,
      username: 'admin',
      password,
      requestOptions: {},
      timeoutMs: 2000,
      configKey: 'gitops.instances[2]',
    });
  }

  it('opens a session with the username and password and reuses its token', async () => {
    const session = createSession();
    const token = await session.token();
    expect(logins).toEqual([{ username: 'admin', password: 'secret' }]);
    expect(readJwtTimes(token)).toEqual({
      iat: expect.any(Number),
      exp: expect.any(Number),
    });
    await expect(session.token()).resolves.toBe(token);
    expect(logins).toHaveLength(1);
  });

  it.each([
    // a long session is renewed a minute before exp, a short one at 80% of its lifetime
    [600, 535, 545],
    [10, 7.5, 8.5],
  ])(
    'renews a session of %d s before it expires (same at %d s, new at %d s)',
    async (seconds, before, after) => {
      jest.useFakeTimers({ advanceTimers: true });
      lifetime = seconds;
      const session = createSession();
      const start = Date.now();
      const first = await session.token();
      jest.setSystemTime(start + before * 1000);
      await expect(session.token()).resolves.toBe(first);
      jest.setSystemTime(start + after * 1000);
      const second = await session.token();
      expect(second).not.toBe(first);
      expect(logins).toHaveLength(2);
    },
  );

  it('keeps a token without exp until the server rejects it', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    lifetime = undefined;
    const session = createSession();
    const first = await session.token();
    jest.setSystemTime(Date.now() + 30 * 24 * 3600 * 1000);
    await expect(session.token()).resolves.toBe(first);
    const second = await session.renew(first);
    expect(second).not.toBe(first);
    expect(logins).toHaveLength(2);
  });

  it('opens one session for concurrent rejections of the same token', async () => {
    const session = createSession();
    const first = await session.token();
    const renewed = await Promise.all([
      session.renew(first),
      session.renew(first),
    ]);
    expect(renewed[0]).toBe(renewed[1]);
    // a late 401 of the old token gets the replacement, not a third session
    await expect(session.renew(first)).resolves.toBe(renewed[0]);
    expect(logins).toHaveLength(2);
  });

  it('reports a refused login as an auth error naming the keys to fix', async () => {
    const session = createSession('wrong');
    const error = await session.token().catch(e => e);
    expect(error).toBeInstanceOf(SourceAuthError);
    expect(classifyError(error, 'instance edge (https://argocd)')).toEqual({
      kind: 'auth',
      message:
        'instance edge (https://argocd): could not open a session as admin (HTTP 401: Invalid username or password); check gitops.instances[2].username and password',
    });
  });

  it('leaves a failing server a server error, not an auth error', async () => {
    sessionStatus = 503;
    const error = await createSession()
      .token()
      .catch(e => e);
    expect(error).not.toBeInstanceOf(SourceAuthError);
    expect(classifyError(error, 'instance edge').kind).toBe('unreachable');
  });

  describe('in ArgoCdApplicationSource', () => {
    let source: ArgoCdApplicationSource | undefined;

    afterEach(async () => {
      await source?.stop();
      source = undefined;
    });

    function createSource(password = 'secret') {
      const store = new ApplicationStore([]);
      source = new ArgoCdApplicationSource({
        instance: {
          name: 'edge',
          type: 'argocd',
          url: server.url,
          username: 'admin',
          password,
          configKey: 'gitops.instances[0]',
          timeoutMs: 1000,
        },
        store,
        logger: mockServices.logger.mock(),
        stallTimeoutMs: 60_000,
        pollIntervalMs: 60_000,
        watchEstablishedMs: 200,
      });
      return { store, source };
    }

    it('reads with the session token, and after a 401 opens one new session and retries once', async () => {
      const { store, source: s } = createSource();
      await s.start();
      expect(store.get('edge', 'argocd', 'web-prod-us-1')).toBeDefined();
      expect(logins).toHaveLength(1);

      // the server forgot the session (it expired there, or restarted)
      argo.token = 'forgotten';
      await expect(
        s.getApplication('argocd', 'web-prod-us-1'),
      ).resolves.toMatchObject({ metadata: { name: 'web-prod-us-1' } });
      expect(logins).toHaveLength(2);
    });

    it('reports wrong credentials as a named auth error', async () => {
      const { source: s } = createSource('wrong');
      await s.start();
      expect(s.status().error).toMatchObject({
        kind: 'auth',
        instance: 'edge',
        message: expect.stringContaining(
          'check gitops.instances[0].username and password',
        ),
      });
    });

    it('signs in with a username and password replaced in the config, without a restart', async () => {
      const { source: s } = createSource('wrong');
      await s.start();
      expect(s.status().error?.kind).toBe('auth');

      s.setCredentials({ username: 'admin', password: 'secret' });
      const deadline = Date.now() + 5000;
      while (s.status().state !== 'ok' && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      expect(s.status().state).toBe('ok');
      expect(logins.at(-1)).toEqual({ username: 'admin', password: 'secret' });
    });

    it('names the credentials, not a token, when even a new session token is refused', async () => {
      const { source: s } = createSource();
      await s.start();
      rejectEveryToken = true;
      const error = await s
        .getApplication('argocd', 'web-prod-us-1')
        .catch(e => e);
      expect(error).toBeInstanceOf(SourceAuthError);
      expect(classifyError(error, 'instance edge').message).toBe(
        'instance edge: rejected even a new session token (401): the session of admin; check gitops.instances[0].username and password',
      );
    });
  });
});

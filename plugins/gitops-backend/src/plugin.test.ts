import { startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { gitopsPlugin } from './plugin';

describe('gitopsPlugin', () => {
  it('serves an unauthenticated health route', async () => {
    const { server } = await startTestBackend({ features: [gitopsPlugin] });

    const response = await request(server).get('/api/gitops/health');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });
});

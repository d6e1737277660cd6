import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import { createRouter } from './router';

describe('createRouter', () => {
  it('answers errors without the credentials of the URLs they name', async () => {
    const failing = Router();
    failing.get('/fail', async () => {
      throw new ConflictError(
        'No GitHub integration matches https://deploy:ghp_s3cret@git.example/acme/gitops.git',
      );
    });
    const logger = mockServices.logger.mock();
    const app = express()
      .use(await createRouter({ logger, routers: [failing] }))
      .use(
        MiddlewareFactory.create({
          config: mockServices.rootConfig(),
          logger,
        }).error(),
      );

    const response = await request(app).get('/fail');

    expect(response.status).toBe(409);
    expect(JSON.stringify(response.body)).not.toContain('s3cret');
    expect(response.body.error.message).toBe(
      'No GitHub integration matches https://git.example/acme/gitops.git',
    );
  });
});

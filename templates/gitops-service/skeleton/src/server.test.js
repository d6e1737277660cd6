'use strict';

const test = require('node:test');
const assert = require('node:assert');
const { start } = require('./server');

test('answers the health checks', async () => {
  const server = start(0);
  await new Promise(resolve => server.once('listening', resolve));
  const { port } = server.address();
  const live = await fetch(`http://localhost:${port}/healthz/live`);
  assert.strictEqual(live.status, 200);
  const ready = await fetch(`http://localhost:${port}/healthz/ready`);
  assert.strictEqual(ready.status, 200);
  server.close();
});

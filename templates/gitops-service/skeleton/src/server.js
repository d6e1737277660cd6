'use strict';

const http = require('node:http');

const port = Number(process.env.PORT ?? ${{ values.port }});
let ready = false;

function handler(req, res) {
  if (req.url === '/healthz/live') {
    res.writeHead(200).end('ok');
  } else if (req.url === '/healthz/ready') {
    res.writeHead(ready ? 200 : 503).end(ready ? 'ready' : 'starting');
  } else if (req.url === '/') {
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ service: '${{ values.name }}' }));
  } else {
    res.writeHead(404).end();
  }
}

function start(listenPort = port) {
  const server = http.createServer(handler);
  server.listen(listenPort, () => {
    ready = true;
  });
  // Kubernetes sends SIGTERM before it stops the pod: stop taking new work first.
  process.once('SIGTERM', () => {
    ready = false;
    server.close(() => process.exit(0));
  });
  return server;
}

if (require.main === module) {
  start();
}

module.exports = { handler, start };

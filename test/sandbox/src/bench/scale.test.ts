/* eslint-disable no-console */
import https from 'node:https';
import fs from 'node:fs';
import { startSandbox } from '../sandbox';
import { ClusterStore } from '../kube/store';
import { generateApplications } from '../world/generated';
import { tmpDir } from '../testing/helpers';

/**
 * Scale check, skipped unless SANDBOX_SCALE=1:
 *   SANDBOX_SCALE=1 yarn backstage-cli package test --watchAll=false src/bench
 */
const scale = process.env.SANDBOX_SCALE === '1' ? describe : describe.skip;

const agent = new https.Agent({ keepAlive: true, maxSockets: 4 });

function get(url: string, ca: string, token: string): Promise<any> {
  return new Promise((resolve, reject) => {
    https
      .get(
        url,
        { ca, agent, headers: { authorization: `Bearer ${token}` } },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', d => chunks.push(d));
          res.on('end', () =>
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))),
          );
        },
      )
      .on('error', reject);
  });
}

async function paginate(
  base: string,
  ca: string,
  token: string,
): Promise<number> {
  let count = 0;
  let token2: string | undefined;
  do {
    const page = await get(
      `${base}/apis/argoproj.io/v1alpha1/applications?limit=500${
        token2 ? `&continue=${encodeURIComponent(token2)}` : ''
      }`,
      ca,
      token,
    );
    count += page.items.length;
    token2 = page.metadata.continue;
  } while (token2);
  return count;
}

scale('scale', () => {
  it('serves 20 API servers x 5,000 Applications and 100,000 in one store, paginated, under 1 GB RSS', async () => {
    const stateDir = tmpDir('sandbox-scale-');
    const began = Date.now();
    const sandbox = await startSandbox({
      stateDir,
      world: { clusters: 20, applicationsPerCluster: 5000 },
      control: false,
      ports: { github: 0 },
    });
    const startMs = Date.now() - began;
    let total = 0;
    for (const [name, url] of Object.entries(sandbox.urls.kube))
      total += await paginate(url, sandbox.caPem, sandbox.tokens.kube[name]);
    expect(total).toBe(100_000);
    const rss20 = process.memoryUsage().rss;

    const big = new ClusterStore('big');
    big.load(
      'applications',
      generateApplications(
        'big',
        100_000,
        'http://localhost:7480/acme/generated-gitops.git',
      ),
    );
    // One store of 100k Applications paginated (serialized as the API server would).
    const pages: number[] = [];
    let cont: string | undefined;
    do {
      const page = big.list('applications', {
        limit: 500,
        continueToken: cont,
      });
      pages.push(page.items.length);
      JSON.stringify(page.items);
      cont = page.continueToken;
    } while (cont);
    expect(pages.reduce((a, b) => a + b, 0)).toBe(100_000);
    const rssAll = process.memoryUsage().rss;
    console.log(
      `scale: startup (20x5000) ${startMs} ms; RSS after paginating 100k over 20 servers ${(
        rss20 / 1e6
      ).toFixed(0)} MB; RSS with an extra 100k-app store paginated ${(
        rssAll / 1e6
      ).toFixed(0)} MB`,
    );
    expect(rssAll).toBeLessThan(1e9);
    agent.destroy();
    await sandbox.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }, 300_000);
});

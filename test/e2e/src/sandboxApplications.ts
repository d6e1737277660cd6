import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { resolve } from 'node:path';

/**
 * Changes an Argo CD Application's status in the sandbox the way Argo CD itself does: a merge
 * patch on the `status` subresource of `applications.argoproj.io`, through the Kubernetes API of
 * the `core` control plane (https://localhost:7441). The portal only learns about it through its
 * informer, so what the tab shows afterwards went the whole way: watch -> store -> signal -> tab.
 */
export async function patchApplicationStatus(
  name: string,
  status: Record<string, unknown>,
): Promise<void> {
  // scripts/e2e.sh exports GITOPS_SANDBOX_DIR; Playwright runs from test/e2e otherwise.
  const sandboxDir =
    process.env.GITOPS_SANDBOX_DIR ?? resolve(process.cwd(), '../../.sandbox');
  const body = JSON.stringify({ status });
  await new Promise<void>((done, fail) => {
    const req = request(
      {
        host: 'localhost',
        port: 7441,
        method: 'PATCH',
        path: `/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/${name}/status`,
        ca: readFileSync(resolve(sandboxDir, 'ca.pem')),
        headers: {
          authorization: `Bearer ${
            process.env.GITOPS_SANDBOX_CORE_TOKEN ?? 'sandbox-core-token'
          }`,
          'content-type': 'application/merge-patch+json',
          'content-length': Buffer.byteLength(body),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () => {
          if ((res.statusCode ?? 500) >= 300) {
            fail(
              new Error(
                `PATCH ${name}/status: ${res.statusCode} ${Buffer.concat(
                  chunks,
                )}`,
              ),
            );
          } else {
            done();
          }
        });
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

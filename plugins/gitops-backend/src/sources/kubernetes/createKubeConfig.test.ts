import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKubeConfig } from './createKubeConfig';

const PEM = `-----BEGIN CERTIFICATE-----
MIIBszCCAVmgAwIBAgIUQ2VydGlmaWNhdGUgZm9yIHRlc3RzMAoGCCqGSM49BAMC
-----END CERTIFICATE-----
`;

const kubeconfig = `apiVersion: v1
kind: Config
clusters:
  - name: hub
    cluster:
      server: https://hub.example.com:6443
      certificate-authority-data: ${Buffer.from(PEM).toString('base64')}
  - name: spare
    cluster:
      server: https://spare.example.com:6443
users:
  - name: reader
    user:
      token: reader-token
contexts:
  - name: hub-reader
    context: { cluster: hub, user: reader }
  - name: spare-reader
    context: { cluster: spare, user: reader }
current-context: spare-reader
`;

describe('createKubeConfig', () => {
  const file = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-')),
    'config',
  );
  beforeAll(() => fs.writeFileSync(file, kubeconfig));

  it('builds a cluster from url and token with a PEM CA', () => {
    const kc = createKubeConfig({
      name: 'core',
      type: 'kubernetes',
      url: 'https://core.example.com:6443',
      token: 'core-token',
      caData: PEM,
    });
    expect(kc.getCurrentCluster()).toMatchObject({
      server: 'https://core.example.com:6443',
      caData: Buffer.from(PEM).toString('base64'),
      skipTLSVerify: false,
    });
    expect(kc.getCurrentUser()?.token).toBe('core-token');
  });

  it('passes a base64 CA through unchanged, and a CA file by path', () => {
    const base64 = Buffer.from(PEM).toString('base64');
    expect(
      createKubeConfig({
        name: 'core',
        type: 'kubernetes',
        url: 'https://core.example.com',
        caData: base64,
      }).getCurrentCluster()?.caData,
    ).toBe(base64);
    expect(
      createKubeConfig({
        name: 'core',
        type: 'kubernetes',
        url: 'https://core.example.com',
        caFile: '/etc/ca/core.pem',
      }).getCurrentCluster()?.caFile,
    ).toBe('/etc/ca/core.pem');
  });

  it('reads a kubeconfig file at its current context, or at the configured one', () => {
    const current = createKubeConfig({
      name: 'hub',
      type: 'kubernetes',
      kubeconfigPath: file,
    });
    expect(current.getCurrentCluster()?.server).toBe(
      'https://spare.example.com:6443',
    );

    const chosen = createKubeConfig({
      name: 'hub',
      type: 'kubernetes',
      kubeconfigPath: file,
      context: 'hub-reader',
    });
    expect(chosen.getCurrentCluster()).toMatchObject({
      server: 'https://hub.example.com:6443',
      caData: Buffer.from(PEM).toString('base64'),
    });
    expect(chosen.getCurrentUser()?.token).toBe('reader-token');
  });

  it('says which contexts a kubeconfig has when the configured one is missing', () => {
    expect(() =>
      createKubeConfig({
        name: 'hub',
        type: 'kubernetes',
        kubeconfigPath: file,
        context: 'prod',
      }),
    ).toThrow(
      `gitops.instances hub: kubeconfigPath ${file} has no context prod; it has hub-reader, spare-reader`,
    );
  });

  it('names the instance and the path of a kubeconfig it cannot read', () => {
    expect(() =>
      createKubeConfig({
        name: 'hub',
        type: 'kubernetes',
        kubeconfigPath: '/no/such/kubeconfig',
      }),
    ).toThrow(
      /^gitops\.instances hub: kubeconfigPath \/no\/such\/kubeconfig could not be read: .*ENOENT/,
    );
  });
});

import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import selfsigned from 'selfsigned';

export interface CertificateAuthority {
  caPem: string;
  caKey: string;
  /** Server certificate for localhost / 127.0.0.1, signed by the CA. */
  serverCert: string;
  serverKey: string;
}

const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

async function generateCa(): Promise<{ cert: string; key: string }> {
  const now = new Date();
  const pems = await selfsigned.generate(
    [{ name: 'commonName', value: 'GitOps Sandbox CA' }],
    {
      keyType: 'ec',
      algorithm: 'sha256',
      notBeforeDate: new Date(now.getTime() - 3600_000),
      notAfterDate: new Date(now.getTime() + TEN_YEARS_MS),
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        {
          name: 'keyUsage',
          keyCertSign: true,
          cRLSign: true,
          digitalSignature: true,
          critical: true,
        },
      ],
    } as any,
  );
  return { cert: pems.cert, key: pems.private };
}

async function generateServerCert(ca: { cert: string; key: string }) {
  const now = new Date();
  const pems = await selfsigned.generate(
    [{ name: 'commonName', value: 'localhost' }],
    {
      keyType: 'ec',
      algorithm: 'sha256',
      notBeforeDate: new Date(now.getTime() - 3600_000),
      notAfterDate: new Date(now.getTime() + TEN_YEARS_MS),
      ca: { cert: ca.cert, key: ca.key },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    } as any,
  );
  return { cert: pems.cert, key: pems.private };
}

function isUsable(certPem: string): boolean {
  try {
    const cert = new crypto.X509Certificate(certPem);
    return new Date(cert.validTo).getTime() > Date.now() + 24 * 3600 * 1000;
  } catch {
    return false;
  }
}

/**
 * Loads the sandbox CA from `stateDir` (so that clients keep trusting it across
 * restarts) or generates a new one, and issues a fresh localhost server cert.
 * Writes `<stateDir>/ca.pem`.
 */
export async function loadOrCreateCa(
  stateDir: string,
): Promise<CertificateAuthority> {
  fs.mkdirSync(stateDir, { recursive: true });
  const caFile = path.join(stateDir, 'ca.pem');
  const keyFile = path.join(stateDir, 'ca-key.pem');
  let ca: { cert: string; key: string };
  if (
    fs.existsSync(caFile) &&
    fs.existsSync(keyFile) &&
    isUsable(fs.readFileSync(caFile, 'utf8'))
  ) {
    ca = {
      cert: fs.readFileSync(caFile, 'utf8'),
      key: fs.readFileSync(keyFile, 'utf8'),
    };
  } else {
    ca = await generateCa();
    fs.writeFileSync(keyFile, ca.key, { mode: 0o600 });
    fs.writeFileSync(caFile, ca.cert);
  }
  const server = await generateServerCert(ca);
  return {
    caPem: ca.cert,
    caKey: ca.key,
    serverCert: server.cert,
    serverKey: server.key,
  };
}

import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { loadOrCreateCa, CertificateAuthority } from '../util/tls';

let shared: Promise<CertificateAuthority> | undefined;

/** A CA + server cert shared by the tests of one Jest worker. */
export function testCa(): Promise<CertificateAuthority> {
  shared ??= loadOrCreateCa(
    fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-ca-')),
  );
  return shared;
}

/** Polls `check` until it returns a truthy value, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 25));
  }
}

export function tmpDir(prefix = 'sandbox-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

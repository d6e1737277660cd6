import type { SourceErrorKind } from '@backstage-gitops/plugin-gitops-common';

/** An error of a source with its HTTP status, when it had one. */
export class SourceRequestError extends Error {
  constructor(message: string, readonly statusCode?: number) {
    super(message);
    this.name = 'SourceRequestError';
  }
}

/** A source that stopped delivering events. */
export class StalledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StalledError';
  }
}

/** Credentials a source signs in with were refused; its message says which keys to fix. */
export class SourceAuthError extends Error {
  constructor(message: string, readonly statusCode?: number) {
    super(message);
    this.name = 'SourceAuthError';
  }
}

const UNREACHABLE_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
];

/** The first string `code` (ECONNREFUSED, ...) along an error's chain of causes. */
export function findCode(error: any): string | undefined {
  for (let e = error, depth = 0; e && depth < 4; e = e.cause, depth++) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

/** The HTTP status an error carries, if any. */
export function statusOf(error: any): number | undefined {
  const status = error?.statusCode ?? error?.code ?? error?.status;
  return typeof status === 'number' ? status : undefined;
}

/** Maps an error of a list, watch or stream to a source error kind and a readable message. */
export function classifyError(
  error: unknown,
  target: string,
): { kind: SourceErrorKind; message: string } {
  const e = error as any;
  if (e instanceof StalledError) {
    return { kind: 'stalled', message: e.message };
  }
  if (e instanceof SourceAuthError) {
    return { kind: 'auth', message: `${target}: ${e.message}` };
  }
  if (
    e?.name === 'TimeoutError' ||
    e?.name === 'AbortError' ||
    findCode(e) === 'UND_ERR_CONNECT_TIMEOUT' ||
    findCode(e) === 'UND_ERR_HEADERS_TIMEOUT'
  ) {
    return { kind: 'timeout', message: `${target} did not answer in time` };
  }
  const status = statusOf(e);
  if (status === 401) {
    return {
      kind: 'unauthorized',
      message: `${target} rejected the token (401); check the instance token`,
    };
  }
  if (status === 403) {
    return {
      kind: 'forbidden',
      message: `${target} denied access to Applications (403); grant list and watch on applications.argoproj.io`,
    };
  }
  if (status === 410) {
    return {
      kind: 'gone',
      message: `${target} expired the resource version (410); re-listing`,
    };
  }
  if (status !== undefined && status >= 400) {
    return {
      kind: 'unreachable',
      message: `${target} answered HTTP ${status}`,
    };
  }
  const code = findCode(e);
  if (code && UNREACHABLE_CODES.includes(code)) {
    return {
      kind: 'unreachable',
      message: `${target} is unreachable (${code})`,
    };
  }
  if (e?.message === 'fetch failed' || e?.name === 'TypeError') {
    const cause = e?.cause?.message ?? e?.message;
    return {
      kind: 'unreachable',
      message: `${target} is unreachable: ${cause}`,
    };
  }
  return {
    kind: 'unknown',
    message: `${target} failed: ${e?.message ?? String(e)}`,
  };
}

import http from 'node:http';
import https from 'node:https';
import { SourceRequestError } from './classifyError';

/** TLS and header options of a request to an instance. */
export type RequestOptions = https.RequestOptions;

function timeoutError(timeoutMs: number) {
  const error = new Error(`no answer within ${timeoutMs} ms`);
  error.name = 'TimeoutError';
  return error;
}

/**
 * Opens a GET request and resolves with the response once its headers arrived, or rejects
 * after `timeoutMs`. The returned `abort` ends the request (and the response stream) at any time.
 */
export function openRequest(
  url: string,
  options: RequestOptions,
  timeoutMs: number,
): Promise<{ response: http.IncomingMessage; abort: (error?: Error) => void }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const transport = target.protocol === 'http:' ? http : https;
    const request = transport.request(target, { ...options, method: 'GET' });
    const timer = setTimeout(
      () => request.destroy(timeoutError(timeoutMs)),
      timeoutMs,
    );
    request.on('error', error => {
      clearTimeout(timer);
      reject(error);
    });
    request.on('response', response => {
      clearTimeout(timer);
      resolve({
        response,
        abort: (error?: Error) => {
          response.destroy(error);
          request.destroy(error);
        },
      });
    });
    request.end();
  });
}

/** GETs a JSON document within `timeoutMs` (headers and body); HTTP errors carry their status. */
export async function getJson(
  url: string,
  options: RequestOptions,
  timeoutMs: number,
): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  const { response, abort } = await openRequest(url, options, timeoutMs);
  const remaining = Math.max(1, deadline - Date.now());
  const timer = setTimeout(() => abort(timeoutError(timeoutMs)), remaining);
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of response) {
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const status = response.statusCode ?? 0;
    if (status >= 400) {
      let detail = body.slice(0, 200);
      try {
        detail = JSON.parse(body).message ?? detail;
      } catch {
        // not JSON: keep the text
      }
      throw new SourceRequestError(`HTTP ${status}: ${detail}`, status);
    }
    try {
      return JSON.parse(body);
    } catch {
      throw new SourceRequestError(`invalid JSON from ${url}`);
    }
  } finally {
    clearTimeout(timer);
  }
}

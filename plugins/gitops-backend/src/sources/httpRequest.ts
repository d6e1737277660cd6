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
 * Opens a request (GET unless `options.method` says otherwise, with `body` if given) and resolves
 * with the response once its headers arrived, or rejects after `timeoutMs`. The returned `abort`
 * ends the request (and the response stream) at any time.
 */
export function openRequest(
  url: string,
  options: RequestOptions,
  timeoutMs: number,
  body?: string,
): Promise<{ response: http.IncomingMessage; abort: (error?: Error) => void }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const transport = target.protocol === 'http:' ? http : https;
    const request = transport.request(target, { method: 'GET', ...options });
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
    request.end(body);
  });
}

/** GETs a JSON document within `timeoutMs` (headers and body); HTTP errors carry their status. */
export function getJson(
  url: string,
  options: RequestOptions,
  timeoutMs: number,
): Promise<unknown> {
  return requestJson(url, { ...options, method: 'GET' }, timeoutMs);
}

/** POSTs a JSON document and reads the JSON answer, as {@link getJson} does. */
export function postJson(
  url: string,
  payload: unknown,
  options: RequestOptions,
  timeoutMs: number,
): Promise<unknown> {
  return requestJson(
    url,
    {
      ...options,
      method: 'POST',
      headers: { ...options.headers, 'Content-Type': 'application/json' },
    },
    timeoutMs,
    JSON.stringify(payload),
  );
}

async function requestJson(
  url: string,
  options: RequestOptions,
  timeoutMs: number,
  requestBody?: string,
): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  const { response, abort } = await openRequest(
    url,
    options,
    timeoutMs,
    requestBody,
  );
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

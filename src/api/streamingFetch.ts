import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

/**
 * A fetch for requests whose body is a stream, over node:http(s). Node's built-in fetch queues a
 * streamed request body in memory faster than the socket sends it (about the whole body for a
 * 250 MB upload, measured in bench/upload.ts); piping into node:http respects the socket's
 * backpressure, so a batch of any size is sent in bounded memory. Everything else (errors,
 * retries, headers, the response) stays the SDK's: this only moves the bytes.
 */
export function streamingFetch(url: string, init: RequestInit): Promise<Response> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const transport = target.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => (headers[key] = value));
    const req = transport.request(target, { method: init.method ?? 'POST', headers, signal: init.signal ?? undefined });
    req.on('response', (res) => {
      const responseHeaders = new Headers();
      for (const [key, value] of Object.entries(res.headers)) {
        if (Array.isArray(value)) value.forEach((v) => responseHeaders.append(key, v));
        else if (value !== undefined) responseHeaders.set(key, value);
      }
      const body = Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>;
      resolve(new Response(body, { status: res.statusCode ?? 0, statusText: res.statusMessage, headers: responseHeaders }));
    });
    req.on('error', (err) => reject(Object.assign(new TypeError('fetch failed'), { cause: err })));
    const body = Readable.fromWeb(init.body as unknown as NodeReadableStream<Uint8Array>);
    body.on('error', (err) => req.destroy(err));
    body.pipe(req);
  });
}

/** Whether a fetch init carries a streamed body (the SDK turns async iterables into ReadableStreams). */
export function hasStreamBody(init: RequestInit | undefined): boolean {
  return !!init?.body && typeof ReadableStream !== 'undefined' && init.body instanceof ReadableStream;
}

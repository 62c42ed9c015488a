import * as l10n from '@vscode/l10n';
import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';

/**
 * How long a streamed upload may make no progress. There is deliberately no limit on the whole
 * upload: a 256 MB batch over a slow link takes as long as it takes, as long as it moves.
 */
export interface UploadTimeouts {
  /** While sending: fail when no byte was accepted (and none produced) for this long. */
  idleMs: number;
  /** Once the last byte was sent: how long to wait for the answer's headers. */
  answerMs: number;
}

export const DEFAULT_UPLOAD_TIMEOUTS: UploadTimeouts = { idleMs: 2 * 60_000, answerMs: 10 * 60_000 };

/** Writes are cut to this size, so that "bytes accepted" moves in small steps even on slow links. */
const WRITE_SLICE = 64 * 1024;

/**
 * The upload stopped before the whole body was sent: the API cannot have created anything from
 * it (a batch is only created from a complete body). Deliberately no `cause`, and no "time out"
 * in its text: the SDK turns any error whose text (or its cause's) mentions a timeout into a
 * bare APIConnectionTimeoutError, which would lose that nothing was sent.
 */
export class UploadIncompleteError extends Error {
  constructor(
    /** Bytes the connection accepted before it stopped. */
    readonly sentBytes: number,
    /** Set when the upload stalled: how long nothing moved. */
    readonly stalledMs?: number,
    /** The system error code when the connection failed (ECONNRESET, EPIPE…). */
    readonly code?: string,
  ) {
    super(
      stalledMs !== undefined
        ? l10n.t('The upload stalled after {0} bytes: nothing moved for {1} ms.', sentBytes, stalledMs)
        : l10n.t('The connection failed{0} after {1} bytes of the body were sent.', code ? ` (${code})` : '', sentBytes),
    );
    this.name = 'UploadIncompleteError';
  }
}

/**
 * The whole body was sent but no answer came in time: the API may or may not have acted on it.
 * (Named without "timeout" for the same reason as UploadIncompleteError.)
 */
export class NoAnswerError extends Error {
  constructor(
    readonly sentBytes: number,
    readonly waitedMs: number,
  ) {
    super(l10n.t('No answer {0} ms after the whole body ({1} bytes) was sent.', waitedMs, sentBytes));
    this.name = 'NoAnswerError';
  }
}

/**
 * A fetch for requests whose body is a stream, over node:http(s). Node's built-in fetch queues a
 * streamed request body in memory faster than the socket sends it (about the whole body for a
 * 250 MB upload, measured in bench/upload.ts); writing into node:http at the pace the socket
 * accepts bytes keeps any batch in bounded memory. Everything else (errors, retries, headers, the
 * response) stays the SDK's: this moves the bytes, and watches them move (see UploadTimeouts).
 *
 * A failure before the last byte was handed to the socket rejects with UploadIncompleteError
 * (nothing can have been created); after it, with the connection error or NoAnswerError (the API
 * may have acted). Redirects are never followed here: the body cannot be sent twice.
 */
export function streamingFetch(url: string, init: RequestInit, timeouts: UploadTimeouts = DEFAULT_UPLOAD_TIMEOUTS): Promise<Response> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const transport = target.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => (headers[key] = value));
    const req = transport.request(target, { method: init.method ?? 'POST', headers, signal: init.signal ?? undefined });
    const reader = (init.body as ReadableStream<Uint8Array>).getReader();

    let sentBytes = 0;
    /** The last byte was handed to the socket: from here on the API may have the whole body. */
    let complete = false;
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const watch = (ms: number, onIdle: () => Error) => {
      clearTimeout(timer);
      timer = setTimeout(() => fail(onIdle()), ms);
    };
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(err);
      reader.cancel(err).catch(() => undefined);
      req.destroy();
    };
    const stalled = () => new UploadIncompleteError(sentBytes, timeouts.idleMs);

    req.on('response', (res) => {
      if (settled) {
        res.destroy();
        return;
      }
      settled = true;
      clearTimeout(timer);
      if (!complete) {
        // The API answered before the whole body was sent (e.g. 413): stop sending, and let the
        // connection go once the answer has been read.
        reader.cancel().catch(() => undefined);
        res.once('close', () => req.destroy());
      }
      const responseHeaders = new Headers();
      for (const [key, value] of Object.entries(res.headers)) {
        if (Array.isArray(value)) value.forEach((v) => responseHeaders.append(key, v));
        else if (value !== undefined) responseHeaders.set(key, value);
      }
      const body = Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>;
      resolve(new Response(body, { status: res.statusCode ?? 0, statusText: res.statusMessage, headers: responseHeaders }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.name === 'AbortError' || complete) fail(Object.assign(new TypeError(l10n.t('fetch failed')), { cause: err }));
      else fail(new UploadIncompleteError(sentBytes, undefined, err.code));
    });

    const waitForDrain = () =>
      new Promise<void>((resume) => {
        const done = () => {
          req.off('drain', done);
          req.off('close', done);
          resume();
        };
        req.on('drain', done);
        req.on('close', done);
      });

    const pump = async () => {
      watch(timeouts.idleMs, stalled);
      for (;;) {
        const { value, done } = await reader.read();
        if (settled) return;
        if (done) break;
        watch(timeouts.idleMs, stalled);
        for (let at = 0; at < value.length && !settled; at += WRITE_SLICE) {
          const slice = value.subarray(at, at + WRITE_SLICE);
          const accepted = () => {
            sentBytes += slice.length;
            if (!complete && !settled) watch(timeouts.idleMs, stalled);
          };
          if (!req.write(slice, (err) => !err && accepted())) await waitForDrain();
        }
        if (settled) return;
      }
      complete = true;
      req.end();
      watch(timeouts.answerMs, () => new NoAnswerError(sentBytes, timeouts.answerMs));
    };
    // The body's own failure (e.g. the file changed while it was read) ends the upload unsent.
    pump().catch((err: unknown) => fail(err instanceof Error ? err : new Error(String(err))));
  });
}

/** Whether a fetch init carries a streamed body (the SDK turns async iterables into ReadableStreams). */
export function hasStreamBody(init: RequestInit | undefined): boolean {
  return !!init?.body && typeof ReadableStream !== 'undefined' && init.body instanceof ReadableStream;
}

// How long a server asked us to wait (`retry-after-ms`, `retry-after`), made safe to act on. A
// server's header is input like any other: it can be negative, garbage, a date decades away, or
// a number of seconds past what a timer can hold (setTimeout fires after 1 ms for anything over
// 2^31 − 1 ms, about 24.8 days, which turned a huge retry-after into a tight request loop).

/**
 * The longest wait a server can impose: one hour. The API's rate limits are per minute, so an
 * honest retry-after is seconds to a minute; batches take up to a day, and a view that stops
 * updating for more than an hour on the word of one header looks broken. Waiting at most an hour
 * costs at most 24 requests a day against a server that keeps asking for more, nothing next to
 * any rate limit. Far below setTimeout's limit, so no timer built on it can overflow.
 */
export const MAX_SERVER_DELAY_MS = 60 * 60_000;

/**
 * A delay a server gave (ms), bounded: at least `floorMs`, at most MAX_SERVER_DELAY_MS.
 * Undefined for what is no delay at all (NaN, negative, not a number): the caller then falls back
 * to its own backoff, as when there was no header.
 */
export function clampServerDelay(ms: unknown, floorMs = 0): number | undefined {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms < 0) return undefined;
  const floor = Number.isFinite(floorMs) && floorMs > 0 ? Math.min(floorMs, MAX_SERVER_DELAY_MS) : 0;
  return Math.min(MAX_SERVER_DELAY_MS, Math.max(floor, ms));
}

/**
 * The wait a response asks for, in ms, bounded by clampServerDelay; undefined when it asks for
 * none or says nothing usable. `retry-after-ms` first (the SDK's order), then `retry-after` as
 * seconds or as an HTTP date. A date is measured from the response's own `Date` header when it has
 * a valid one, so that a local clock hours off (or a server's) does not stretch or cancel the
 * wait; from `localNow` otherwise. A date already past means no wait (then the floor).
 */
export function serverDelayMs(headers: Pick<Headers, 'get'> | undefined, options: { localNow?: number; floorMs?: number } = {}): number | undefined {
  if (!headers) return undefined;
  const ms = decimal(headers.get('retry-after-ms'));
  if (ms !== undefined) return clampServerDelay(ms, options.floorMs);
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  const seconds = decimal(value);
  if (seconds !== undefined) return clampServerDelay(seconds * 1000, options.floorMs);
  const at = httpDate(value);
  if (at === undefined) return undefined;
  const now = httpDate(headers.get('date')?.trim()) ?? options.localNow ?? Date.now();
  return clampServerDelay(Math.max(0, at - now), options.floorMs);
}

/**
 * A non-negative decimal number as the header grammar allows (`120`, or `1.5` as `retry-after-ms`
 * and some proxies send); undefined for anything else: signs, exponents, hex, words, blanks.
 */
function decimal(value: string | null | undefined): number | undefined {
  const text = value?.trim();
  if (!text || !/^\d+(\.\d+)?$/.test(text)) return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}

/**
 * An HTTP date (IMF-fixdate, or the obsolete RFC 850 and asctime forms), as ms; undefined when the
 * text is not one. All three start with a day name: Date.parse alone would take "12" or "-5" for
 * dates too.
 */
function httpDate(value: string | null | undefined): number | undefined {
  if (!value || !/^[A-Za-z]{3,9},?\s/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isFinite(at) ? at : undefined;
}

/**
 * The longest the SDK may sleep on a retry-after inside one call, before trying again. Someone is
 * waiting on that call (a refresh, a cancel, a download): a longer wait comes back at once as a
 * rate-limit error that names it, rather than as a spinner that never ends.
 */
const MAX_IN_CALL_RETRY_MS = 60_000;

/**
 * The response the SDK gets to see: its retry headers replaced by what serverDelayMs made of them.
 * The SDK would otherwise sleep as long as a timer can hold (24.8 days), measure a date from the
 * local clock however wrong it is, and treat `-5` or `1e9` as it parses them. A usable wait goes
 * in `retry-after-ms` (which the SDK and describeError read first); a wait past
 * MAX_IN_CALL_RETRY_MS also gets `x-should-retry: false`, so the SDK hands the error back at once;
 * garbage is removed, so the SDK uses its own short backoff.
 */
export function boundRetryHeaders(response: Response): Response {
  if (response.ok || (!response.headers.has('retry-after') && !response.headers.has('retry-after-ms'))) return response;
  const delay = serverDelayMs(response.headers);
  const headers = new Headers(response.headers);
  headers.delete('retry-after');
  headers.delete('retry-after-ms');
  if (delay !== undefined) headers.set('retry-after-ms', String(delay));
  if (delay !== undefined && delay > MAX_IN_CALL_RETRY_MS) headers.set('x-should-retry', 'false');
  const bounded = new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  // The SDK names the URL in its debug log.
  Object.defineProperty(bounded, 'url', { value: response.url });
  return bounded;
}

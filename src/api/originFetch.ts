/** Redirects followed in a row within the API's origin before the answer is given up on. */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * fetch for everything but streamed uploads, with redirects under our control instead of
 * fetch's: it would follow one to any origin, and send the API key's headers along.
 *
 * A redirect within `origin` is followed for reads (GET, HEAD), at most MAX_REDIRECTS in a row.
 * Any other redirect (another origin, a write, one too many) is returned as it came: the SDK then
 * fails the call with that HTTP status (never retried), which describeError words as a redirect
 * that was not followed. Nothing is ever sent to another origin.
 */
export async function fetchWithinOrigin(url: string, init: RequestInit | undefined, origin: string): Promise<Response> {
  const method = (init?.method ?? 'GET').toUpperCase();
  let current = url;
  for (let hop = 0; ; hop++) {
    const response = await fetch(current, { ...init, redirect: 'manual' });
    const location = response.headers.get('location');
    if (!REDIRECT_STATUSES.has(response.status) || !location) return response;
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      return response;
    }
    if (next.origin !== origin || (method !== 'GET' && method !== 'HEAD') || hop >= MAX_REDIRECTS) return response;
    await response.body?.cancel();
    current = next.href;
  }
}

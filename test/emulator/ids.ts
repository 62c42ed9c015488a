import { createHash } from 'node:crypto';

// Deterministic ids and shuffling: the same seed and the same calls give the same ids and the same
// result order, so test failures reproduce.

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `prefix` + '01' + 22 base62 characters derived from the parts, like the API's own ids. */
export function derivedId(prefix: string, ...parts: (string | number)[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  let out = `${prefix}01`;
  for (let i = 0; i < 22; i++) out += BASE62[digest[i] % 62];
  return out;
}

/** 32-bit FNV-1a, to turn strings into PRNG seeds. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, good enough to shuffle. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A permutation of 0..n-1 (Fisher–Yates), the same for the same seed. Never the identity when n > 1. */
export function shuffledIndices(n: number, seed: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const random = prng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  if (n > 1 && order.every((v, i) => v === i)) {
    // Results "in any order" must not look like input order by luck: rotate by one.
    for (let i = 0; i < n; i++) order[i] = (i + 1) % n;
  }
  return order;
}

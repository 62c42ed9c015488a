// Deterministic, realistic-looking text for the benchmarks' generated files (never committed).

/** mulberry32: a small deterministic PRNG, so every run benches the same bytes. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the a of to and in that is for it as with on be by this are from at or an was have not but which ' +
  'summarize review explain classify extract translate rewrite compare invoice customer ticket contract ' +
  'clause payment refund shipping warranty product feature release incident report analysis quarterly ' +
  'revenue growth margin forecast risk compliance policy security latency throughput database index query ' +
  'function module service request response error timeout retry cache batch token model prompt answer ' +
  'café naïve résumé “quoted” — déjà vu Zürich São Paulo 東京 данные （備考） 注意： はい！'
).split(' ');

/** About `chars` characters of sentences (with non-ASCII words, full-width punctuation and the odd line break). */
export function paragraph(next: () => number, chars: number): string {
  const parts: string[] = [];
  let length = 0;
  while (length < chars) {
    const sentence: string[] = [];
    const words = 8 + Math.floor(next() * 14);
    for (let i = 0; i < words; i++) sentence.push(WORDS[Math.floor(next() * WORDS.length)]);
    const text = sentence.join(' ');
    const s = text.charAt(0).toUpperCase() + text.slice(1) + (next() < 0.1 ? '?\n' : '. ');
    parts.push(s);
    length += s.length;
  }
  return parts.join('');
}

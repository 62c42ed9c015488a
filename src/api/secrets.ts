// Keeping API keys out of every text a person reads: messages, dialogs, the status bar, the log.

/** Shorter "secrets" are not keys, and redacting them would eat ordinary words. */
const MIN_SECRET_LENGTH = 8;
/** Whitespace and control characters: what a key picks up from a file or a paste, or a text adds. */
const STRAY = /[\s\p{Cc}\u200b\ufeff]/gu;
/**
 * What may stand between two characters of a key in a text: whitespace and control characters,
 * raw or escaped (JSON, util.inspect). So a key is found even when it has a stray line break, or
 * when the text breaks it across lines, changes LF to CRLF, or drops a NUL.
 */
const GAP = String.raw`(?:[\s\p{Cc}\u200b\ufeff]|\\(?:[rntbfv0]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}))*`;
/** Anything shaped like an Anthropic key, known or not. */
const KEY_SHAPE = /sk-ant-[A-Za-z0-9_-]+/g;

const patterns = new Map<string, RegExp>();

function patternFor(secret: string): RegExp | undefined {
  const core = secret.replace(STRAY, '');
  if (core.length < MIN_SECRET_LENGTH) return undefined;
  let pattern = patterns.get(core);
  if (!pattern) {
    if (patterns.size >= 64) patterns.clear();
    pattern = new RegExp([...core].map((c) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join(GAP), 'gu');
    patterns.set(core, pattern);
  }
  return pattern;
}

/**
 * `text` with every occurrence of each secret replaced by `[redacted]` (however the text or the
 * secret is cut by whitespace or control characters), and anything shaped like an Anthropic key
 * shortened to `sk-ant-…`.
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  // Longest first: a key that contains another is redacted whole.
  const sorted = [...secrets].sort((a, b) => b.length - a.length);
  for (const secret of sorted) {
    const pattern = patternFor(secret);
    if (pattern) out = out.replace(pattern, '[redacted]');
  }
  return out.replace(KEY_SHAPE, 'sk-ant-…');
}

/** The most recent secrets kept; older ones still match KEY_SHAPE. Every message runs one pattern each. */
const MAX_KNOWN = 16;
const known = new Set<string>();

/** Remembers a secret in use (the client factory does so for every key), for `redactKnownSecrets`. */
export function rememberSecret(secret: string | undefined): void {
  if (!secret || secret.replace(STRAY, '').length < MIN_SECRET_LENGTH) return;
  known.delete(secret); // re-added last: the set is kept in order of use
  known.add(secret);
  if (known.size > MAX_KNOWN) known.delete(known.values().next().value!);
}

/** `redactSecrets` with every secret remembered so far: for text on its way to a person or the log. */
export function redactKnownSecrets(text: string): string {
  return redactSecrets(text, known);
}

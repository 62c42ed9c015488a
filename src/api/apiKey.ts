import * as l10n from '@vscode/l10n';
export type CheckedApiKey = { ok: true; key: string } | { ok: false; problem: string };

/** Whitespace and control characters around a key: a trailing CR/LF from a file, a paste's spaces, a BOM. */
const AROUND = /^[\s\p{Cc}\u200b\ufeff]+|[\s\p{Cc}\u200b\ufeff]+$/gu;

/**
 * An API key as typed, pasted or read from ANTHROPIC_API_KEY, made ready to send: whitespace and
 * control characters around it are dropped (they are never part of a key); anything else that is
 * not printable ASCII refuses the key, since it could not be sent as a header and is a sign of a
 * bad paste. The problem says where, never what the key holds.
 */
export function checkApiKey(raw: string, name = l10n.t('The API key')): CheckedApiKey {
  const key = raw.replace(AROUND, '');
  if (!key) return { ok: false, problem: l10n.t('{0} is empty.', name) };
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code >= 0x21 && code <= 0x7e) continue;
    const what =
      code === 0x0a || code === 0x0d
        ? l10n.t('a line break')
        : code === 0x20 || code === 0x09 || /\s/.test(key[i])
          ? l10n.t('a space')
          : code < 0x20 || code === 0x7f
            ? l10n.t('a control character')
            : l10n.t('a character no API key has');
    return {
      ok: false,
      problem: l10n.t('{0} has {1} inside it (character {2}), so it cannot be used: it was probably copied with something else. Copy the key again.', name, what, i + 1),
    };
  }
  return { ok: true, key };
}

/** Where the key in use comes from. */
export type KeySource = 'secretStorage' | 'environment' | 'none';

export interface ResolvedKey {
  /** Ready to send (see checkApiKey); undefined when there is none, or none usable. */
  key: string | undefined;
  source: KeySource;
  /** Why the key found at `source` cannot be used. */
  problem?: string;
}

/**
 * The key to use: the one stored in secret storage, else ANTHROPIC_API_KEY. A key that cannot be
 * used is reported as such, never replaced by the other one (that could be another account).
 */
export function resolveApiKey(stored: string | undefined, fromEnvironment: string | undefined): ResolvedKey {
  if (stored) return resolved(stored, 'secretStorage', l10n.t('The stored API key'));
  if (fromEnvironment && fromEnvironment.replace(AROUND, '')) return resolved(fromEnvironment, 'environment', l10n.t('The API key in ANTHROPIC_API_KEY'));
  return { key: undefined, source: 'none' };
}

function resolved(raw: string, source: KeySource, name: string): ResolvedKey {
  const checked = checkApiKey(raw, name);
  return checked.ok ? { key: checked.key, source } : { key: undefined, source, problem: checked.problem };
}

// Shapes of parsed JSON from outside (files, server answers, other windows' files): checked
// before any field is read. A leaf: imports nothing.

/** A JSON object (not null, not an array): what every untrusted record must be before use. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

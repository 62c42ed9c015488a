// custom_ids from data: made valid (^[a-zA-Z0-9_-]{1,64}$) and unique, deterministically, so the
// same data and template always give the same ids and the results join back to the same records.
import { CUSTOM_ID_MAX_LENGTH } from '../jsonl/requestRules';

const INVALID_RUN = /[^a-zA-Z0-9_-]+/g;
const VALID = /^[a-zA-Z0-9_-]{1,64}$/;

/** `raw` made valid: runs of other characters become "_", cut to 64; empty becomes `row-<number>`. */
export function validCustomId(raw: string, number: number): string {
  // Most ids (a key column) are valid already: one test instead of a trim, a replace and a slice.
  if (VALID.test(raw) && raw !== '_') return raw;
  const cleaned = raw.trim().replace(INVALID_RUN, '_').slice(0, CUSTOM_ID_MAX_LENGTH);
  return cleaned === '' || cleaned === '_' ? `row-${number}` : cleaned;
}

/** Hands out custom_ids, each valid and unused: a repeated one gets `-2`, `-3`, … (cut to fit). */
export class CustomIdMaker {
  private readonly used = new Set<string>();

  make(raw: string, number: number): string {
    const base = validCustomId(raw, number);
    let id = base;
    for (let n = 2; this.used.has(id); n++) {
      const suffix = `-${n}`;
      id = base.slice(0, CUSTOM_ID_MAX_LENGTH - suffix.length) + suffix;
    }
    this.used.add(id);
    return id;
  }
}

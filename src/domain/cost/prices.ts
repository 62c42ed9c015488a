// The one price table. Prices change and differ per model: everything that shows a cost reads
// them from here (merged with the user's overrides), and calls the result an estimate.
import * as l10n from '@vscode/l10n';
import { formatCount } from '../../common/format';

/** USD per million tokens at standard (non-batch) rates. */
export interface ModelPrice {
  input: number;
  output: number;
}

export interface PriceEntry {
  /** Matches a model name equal to it or starting with it followed by "-", "@" or ".". */
  prefix: string;
  label: string;
  price: ModelPrice;
}

/** When the built-in prices were last checked against Anthropic's published list prices. */
export const PRICES_AS_OF = '2026-04';

/** Batch usage is billed at half the standard input and output prices. */
export const BATCH_DISCOUNT = 0.5;
/** Prompt-cache writes (5-minute) cost 1.25× the input price, reads 0.1×; 1-hour writes 2×. */
export const CACHE_WRITE_MULTIPLIER = 1.25;
export const CACHE_WRITE_1H_MULTIPLIER = 2;
export const CACHE_READ_MULTIPLIER = 0.1;

/**
 * Standard list prices, USD per million tokens, as of PRICES_AS_OF. The longest matching prefix
 * wins, so a family entry ("claude-opus-4") covers later versions unless a more specific one
 * says otherwise. Long-context surcharges of older models are not modelled. Models not listed
 * (newer families included) get no price rather than a guess; add them with overrides.
 */
// not translated: the models' product names
export const BUILT_IN_PRICES: readonly PriceEntry[] = [
  { prefix: 'claude-opus-4', label: 'Claude Opus 4.5 and later 4.x', price: { input: 5, output: 25 } },
  { prefix: 'claude-opus-4-0', label: 'Claude Opus 4', price: { input: 15, output: 75 } },
  { prefix: 'claude-opus-4-20250514', label: 'Claude Opus 4', price: { input: 15, output: 75 } },
  { prefix: 'claude-opus-4-1', label: 'Claude Opus 4.1', price: { input: 15, output: 75 } },
  { prefix: 'claude-sonnet-4', label: 'Claude Sonnet 4.x', price: { input: 3, output: 15 } },
  { prefix: 'claude-haiku-4', label: 'Claude Haiku 4.x', price: { input: 1, output: 5 } },
  { prefix: 'claude-3-7-sonnet', label: 'Claude Sonnet 3.7', price: { input: 3, output: 15 } },
  { prefix: 'claude-3-5-sonnet', label: 'Claude Sonnet 3.5', price: { input: 3, output: 15 } },
  { prefix: 'claude-3-5-haiku', label: 'Claude Haiku 3.5', price: { input: 0.8, output: 4 } },
  { prefix: 'claude-3-opus', label: 'Claude Opus 3', price: { input: 15, output: 75 } },
  { prefix: 'claude-3-haiku', label: 'Claude Haiku 3', price: { input: 0.25, output: 1.25 } },
];

/** At most this many overrides are read from a settings object; the rest are ignored. */
export const MAX_PRICE_OVERRIDES = 200;

/**
 * A price table with overrides merged in. The most specific prefix wins across both lists; on
 * the same prefix, the override. So an override can price a model no built-in entry knows, or
 * replace the built-in entry it names, but a shorter one ("claude") never undercuts a more
 * specific built-in price ("claude-opus-4-1").
 */
export interface PriceTable {
  overrides: readonly PriceEntry[];
  builtIn: readonly PriceEntry[];
}

export interface MergedPrices {
  table: PriceTable;
  /** Overrides that were ignored, with why (for the log or a settings warning). */
  problems: string[];
}

/** Longer names are no model's: a settings object cannot make every lookup scan megabytes. */
const MAX_MODEL_NAME = 200;

function isPrice(value: unknown): value is ModelPrice {
  if (typeof value !== 'object' || value === null) return false;
  const input = ownValue(value, 'input');
  const output = ownValue(value, 'output');
  return typeof input === 'number' && typeof output === 'number' && Number.isFinite(input) && Number.isFinite(output) && input >= 0 && output >= 0;
}

/** A property of the object itself, never one inherited (`constructor`, `__proto__`, …). */
function ownValue(object: object, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

/**
 * Merges user overrides (e.g. `{"claude-sonnet-4-5": {"input": 3, "output": 15}}`) into the
 * table. Model names are data: they are read as the object's own keys into a Map, never used to
 * index an object, so `__proto__` or `constructor` is just a name that prices nothing else.
 */
export function mergePrices(overrides?: unknown, builtIn: readonly PriceEntry[] = BUILT_IN_PRICES): MergedPrices {
  const byName = new Map<string, PriceEntry>();
  const problems: string[] = [];
  if (overrides !== undefined && overrides !== null) {
    if (typeof overrides !== 'object' || Array.isArray(overrides)) {
      problems.push(l10n.t('price overrides must be an object of model name → {"input": number, "output": number}'));
    } else {
      const names = Object.keys(overrides);
      if (names.length > MAX_PRICE_OVERRIDES) {
        problems.push(l10n.t('{0} price overrides: only the first {1} are used', formatCount(names.length), MAX_PRICE_OVERRIDES));
      }
      for (const prefix of names.slice(0, MAX_PRICE_OVERRIDES)) {
        const price = ownValue(overrides, prefix);
        const name = prefix.trim().toLowerCase();
        const shown = JSON.stringify(prefix.length > 40 ? `${prefix.slice(0, 40)}…` : prefix);
        if (!name) problems.push(l10n.t('a price override has an empty model name'));
        else if (name.length > MAX_MODEL_NAME) problems.push(l10n.t('price override {0} is longer than {1} characters, so no model\'s name', shown, MAX_MODEL_NAME));
        else if (!isPrice(price)) problems.push(l10n.t('price override for {0} needs non-negative numbers "input" and "output" (USD per million tokens)', shown));
        else {
          const entry: PriceEntry = { prefix: name, label: l10n.t('{0} (your setting)', prefix), price: { input: price.input, output: price.output } };
          const earlier = byName.get(name);
          if (earlier) {
            // Two spellings of one name: the dearer one, so a duplicate can only raise an estimate.
            problems.push(l10n.t('price override "{0}" is given twice: the higher price is used', name));
            if (price.input + price.output <= earlier.price.input + earlier.price.output) continue;
          }
          byName.set(name, entry);
        }
      }
    }
  }
  return { table: { overrides: [...byName.values()], builtIn }, problems };
}

export const DEFAULT_PRICE_TABLE: PriceTable = { overrides: [], builtIn: BUILT_IN_PRICES };

function matches(model: string, prefix: string): boolean {
  if (!model.startsWith(prefix)) return false;
  if (model.length === prefix.length) return true;
  const next = model.charCodeAt(prefix.length);
  return next === 45 /* - */ || next === 64 /* @ */ || next === 46 /* . */;
}

function longestMatch(model: string, entries: readonly PriceEntry[]): PriceEntry | undefined {
  let best: PriceEntry | undefined;
  for (const entry of entries) {
    if (matches(model, entry.prefix) && (!best || entry.prefix.length > best.prefix.length)) best = entry;
  }
  return best;
}

/**
 * The price entry for a model name, or undefined when the table does not know it: the longest
 * matching prefix of either list, the override when both have it.
 */
export function findPrice(model: string, table: PriceTable = DEFAULT_PRICE_TABLE): PriceEntry | undefined {
  const name = model.trim().toLowerCase();
  const override = longestMatch(name, table.overrides);
  const builtIn = longestMatch(name, table.builtIn);
  if (!override) return builtIn;
  if (!builtIn) return override;
  return override.prefix.length >= builtIn.prefix.length ? override : builtIn;
}

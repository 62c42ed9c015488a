// The one price table. Prices change and differ per model: everything that shows a cost reads
// them from here (merged with the user's overrides), and calls the result an estimate.

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

/** Overrides from a setting: model name or prefix → standard prices. */
export type PriceOverrides = Record<string, ModelPrice>;

/** A price table with overrides merged in; overrides win over built-in entries. */
export interface PriceTable {
  overrides: readonly PriceEntry[];
  builtIn: readonly PriceEntry[];
}

export interface MergedPrices {
  table: PriceTable;
  /** Overrides that were ignored, with why (for the log or a settings warning). */
  problems: string[];
}

function isPrice(value: unknown): value is ModelPrice {
  if (typeof value !== 'object' || value === null) return false;
  const { input, output } = value as Record<string, unknown>;
  return typeof input === 'number' && typeof output === 'number' && Number.isFinite(input) && Number.isFinite(output) && input >= 0 && output >= 0;
}

/** Merges user overrides (e.g. `{"claude-sonnet-4-5": {"input": 3, "output": 15}}`) into the table. */
export function mergePrices(overrides?: unknown, builtIn: readonly PriceEntry[] = BUILT_IN_PRICES): MergedPrices {
  const entries: PriceEntry[] = [];
  const problems: string[] = [];
  if (overrides !== undefined && overrides !== null) {
    if (typeof overrides !== 'object' || Array.isArray(overrides)) {
      problems.push('price overrides must be an object of model name → {"input": number, "output": number}');
    } else {
      for (const [prefix, price] of Object.entries(overrides)) {
        const name = prefix.trim().toLowerCase();
        if (!name) problems.push('a price override has an empty model name');
        else if (!isPrice(price)) problems.push(`price override for "${prefix}" needs non-negative numbers "input" and "output" (USD per million tokens)`);
        else entries.push({ prefix: name, label: `${prefix} (your setting)`, price: { input: price.input, output: price.output } });
      }
    }
  }
  return { table: { overrides: entries, builtIn }, problems };
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

/** The price entry for a model name, or undefined when the table does not know it. */
export function findPrice(model: string, table: PriceTable = DEFAULT_PRICE_TABLE): PriceEntry | undefined {
  const name = model.trim().toLowerCase();
  return longestMatch(name, table.overrides) ?? longestMatch(name, table.builtIn);
}

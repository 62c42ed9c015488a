// Cost estimates at batch rates: before sending (from the validator's per-model summary: the
// estimated input and the most output max_tokens allows) and after (from the usage in results).

import {
  BATCH_DISCOUNT,
  CACHE_READ_MULTIPLIER,
  CACHE_WRITE_1H_MULTIPLIER,
  CACHE_WRITE_MULTIPLIER,
  DEFAULT_PRICE_TABLE,
  findPrice,
  PRICES_AS_OF,
  type PriceTable,
} from './prices';

/** Per model, what a batch is expected to use (the validator's `models`). */
export interface ModelRequestSummary {
  requests: number;
  maxTokens: number;
  estimatedInputTokens: number;
}

export interface ModelCostEstimate {
  requests: number;
  inputTokens: number;
  maxOutputTokens: number;
  /** Undefined when the model has no price. */
  inputUsd?: number;
  maxOutputUsd?: number;
}

export interface CostEstimate {
  inputTokens: number;
  maxOutputTokens: number;
  /** USD at batch rates, over the models with a price. */
  inputUsd: number;
  maxOutputUsd: number;
  /** The most the batch can cost: estimated input plus every request using all its max_tokens. */
  totalMaxUsd: number;
  /** Models without a price: their tokens are in the totals, not in the dollars. */
  unknownModels: string[];
  perModel: Record<string, ModelCostEstimate>;
  pricesAsOf: string;
}

const PER_MILLION = 1_000_000;

function batchUsd(tokens: number, pricePerMillion: number, multiplier = 1): number {
  return (tokens * pricePerMillion * multiplier * BATCH_DISCOUNT) / PER_MILLION;
}

/** Estimates what a batch will cost at most, before it is sent. */
export function estimateCost(models: Record<string, ModelRequestSummary>, table: PriceTable = DEFAULT_PRICE_TABLE): CostEstimate {
  const result: CostEstimate = {
    inputTokens: 0,
    maxOutputTokens: 0,
    inputUsd: 0,
    maxOutputUsd: 0,
    totalMaxUsd: 0,
    unknownModels: [],
    // Keyed by model names from a file: without a prototype, "__proto__" is a key like any other.
    perModel: Object.create(null) as Record<string, ModelCostEstimate>,
    pricesAsOf: PRICES_AS_OF,
  };
  for (const [model, summary] of Object.entries(models)) {
    const entry: ModelCostEstimate = {
      requests: summary.requests,
      inputTokens: summary.estimatedInputTokens,
      maxOutputTokens: summary.maxTokens,
    };
    result.inputTokens += summary.estimatedInputTokens;
    result.maxOutputTokens += summary.maxTokens;
    const price = findPrice(model, table)?.price;
    if (price) {
      entry.inputUsd = batchUsd(summary.estimatedInputTokens, price.input);
      entry.maxOutputUsd = batchUsd(summary.maxTokens, price.output);
      result.inputUsd += entry.inputUsd;
      result.maxOutputUsd += entry.maxOutputUsd;
    } else {
      result.unknownModels.push(model);
    }
    result.perModel[model] = entry;
  }
  result.totalMaxUsd = result.inputUsd + result.maxOutputUsd;
  result.unknownModels.sort();
  return result;
}

/** Token usage summed over a model's results (the `usage` of each succeeded message). */
export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  /** All cache writes; priced as 5-minute writes unless split out in cacheCreation1hInputTokens. */
  cacheCreationInputTokens?: number;
  /** The part of cacheCreationInputTokens written with the 1-hour TTL, when known. */
  cacheCreation1hInputTokens?: number;
  cacheReadInputTokens?: number;
}

export interface ModelActualCost {
  usd?: number;
  inputUsd?: number;
  outputUsd?: number;
  cacheWriteUsd?: number;
  cacheReadUsd?: number;
}

export interface ActualCost {
  /** USD at batch rates over the models with a price. */
  usd: number;
  inputUsd: number;
  outputUsd: number;
  cacheWriteUsd: number;
  cacheReadUsd: number;
  unknownModels: string[];
  perModel: Record<string, ModelActualCost>;
  pricesAsOf: string;
}

/** What the results of a batch cost, from their usage, at batch rates. */
export function estimateActualCost(usage: Record<string, UsageTotals>, table: PriceTable = DEFAULT_PRICE_TABLE): ActualCost {
  const result: ActualCost = {
    usd: 0,
    inputUsd: 0,
    outputUsd: 0,
    cacheWriteUsd: 0,
    cacheReadUsd: 0,
    unknownModels: [],
    // Keyed by model names from results: without a prototype, "__proto__" is a key like any other.
    perModel: Object.create(null) as Record<string, ModelActualCost>,
    pricesAsOf: PRICES_AS_OF,
  };
  for (const [model, totals] of Object.entries(usage)) {
    const price = findPrice(model, table)?.price;
    if (!price) {
      result.unknownModels.push(model);
      result.perModel[model] = {};
      continue;
    }
    const writes = totals.cacheCreationInputTokens ?? 0;
    const writes1h = Math.min(totals.cacheCreation1hInputTokens ?? 0, writes);
    const inputUsd = batchUsd(totals.inputTokens, price.input);
    const outputUsd = batchUsd(totals.outputTokens, price.output);
    const cacheWriteUsd = batchUsd(writes - writes1h, price.input, CACHE_WRITE_MULTIPLIER) + batchUsd(writes1h, price.input, CACHE_WRITE_1H_MULTIPLIER);
    const cacheReadUsd = batchUsd(totals.cacheReadInputTokens ?? 0, price.input, CACHE_READ_MULTIPLIER);
    const entry: ModelActualCost = { usd: inputUsd + outputUsd + cacheWriteUsd + cacheReadUsd, inputUsd, outputUsd, cacheWriteUsd, cacheReadUsd };
    result.inputUsd += inputUsd;
    result.outputUsd += outputUsd;
    result.cacheWriteUsd += cacheWriteUsd;
    result.cacheReadUsd += cacheReadUsd;
    result.usd += entry.usd ?? 0;
    result.perModel[model] = entry;
  }
  result.unknownModels.sort();
  return result;
}

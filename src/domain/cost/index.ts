// Cost estimates for batches: one price table, user overrides, the input-token heuristic.
export {
  BATCH_DISCOUNT,
  BUILT_IN_PRICES,
  CACHE_READ_MULTIPLIER,
  CACHE_WRITE_1H_MULTIPLIER,
  CACHE_WRITE_MULTIPLIER,
  DEFAULT_PRICE_TABLE,
  findPrice,
  MAX_PRICE_OVERRIDES,
  mergePrices,
  PRICES_AS_OF,
  type MergedPrices,
  type ModelPrice,
  type PriceEntry,
  type PriceTable,
} from './prices';
export {
  estimateActualCost,
  estimateCost,
  type ActualCost,
  type CostEstimate,
  type ModelActualCost,
  type ModelCostEstimate,
  type ModelRequestSummary,
  type UsageTotals,
} from './costEstimate';
export {
  base64DecodedBytes,
  emptyTally,
  estimateInputTokens,
  type InputTally,
} from './tokenEstimate';

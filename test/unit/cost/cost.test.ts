import { strict as assert } from 'node:assert';
import {
  base64DecodedBytes,
  BUILT_IN_PRICES,
  estimateActualCost,
  estimateCost,
  estimateInputTokens,
  findPrice,
  MAX_PRICE_OVERRIDES,
  mergePrices,
  PRICES_AS_OF,
} from '../../../src/domain/cost';
import { validateBatchText } from '../../../src/domain/jsonl';

function close(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≈ ${expected}`);
}

describe('cost: price table', () => {
  it('is dated', () => {
    assert.match(PRICES_AS_OF, /^\d{4}-\d{2}/);
  });

  it('matches model names by family prefix, longest first', () => {
    const cases: [string, number, number][] = [
      ['claude-sonnet-4-5', 3, 15],
      ['claude-sonnet-4-5-20250929', 3, 15],
      ['claude-sonnet-4-20250514', 3, 15],
      ['claude-sonnet-4-6', 3, 15],
      ['claude-opus-4-7', 5, 25],
      ['claude-opus-4-5-20251101', 5, 25],
      ['claude-opus-4-1-20250805', 15, 75],
      ['claude-opus-4-20250514', 15, 75],
      ['claude-opus-4-0', 15, 75],
      ['claude-haiku-4-5', 1, 5],
      ['claude-haiku-4-5-20251001', 1, 5],
      ['claude-3-5-haiku-latest', 0.8, 4],
      ['claude-3-5-haiku-20241022', 0.8, 4],
      ['claude-3-7-sonnet-20250219', 3, 15],
      ['claude-3-haiku-20240307', 0.25, 1.25],
      ['Claude-Sonnet-4-5', 3, 15],
    ];
    for (const [model, input, output] of cases) {
      assert.deepEqual(findPrice(model)?.price, { input, output }, model);
    }
  });

  it('knows nothing of unknown models rather than guessing', () => {
    for (const model of ['claude-opus-5', 'claude-mythos-5-1', 'gpt-4o', 'claude-sonnet-45', 'claude-opus-40', '']) {
      assert.equal(findPrice(model), undefined, model);
    }
  });

  it('has one entry per prefix', () => {
    const prefixes = BUILT_IN_PRICES.map((p) => p.prefix);
    assert.equal(new Set(prefixes).size, prefixes.length);
  });

  it('merges overrides, which win over built-in prices of the same or a shorter prefix', () => {
    const { table, problems } = mergePrices({ 'claude-sonnet-4-5': { input: 2, output: 10 }, 'claude-opus-5': { input: 20, output: 100 } });
    assert.deepEqual(problems, []);
    assert.deepEqual(findPrice('claude-sonnet-4-5-20250929', table)?.price, { input: 2, output: 10 });
    assert.deepEqual(findPrice('claude-sonnet-4-6', table)?.price, { input: 3, output: 15 });
    assert.deepEqual(findPrice('claude-opus-5', table)?.price, { input: 20, output: 100 });
    const same = mergePrices({ 'claude-opus-4-1': { input: 16, output: 80 } }).table;
    assert.deepEqual(findPrice('claude-opus-4-1-20250805', same)?.price, { input: 16, output: 80 });
  });

  it('the most specific name wins, built in or not: a short override never replaces a more specific built-in price', () => {
    const family = mergePrices({ 'claude-opus-4': { input: 1, output: 2 } }).table;
    assert.deepEqual(findPrice('claude-opus-4-1', family)?.price, { input: 15, output: 75 });
    assert.deepEqual(findPrice('claude-opus-4-20250514', family)?.price, { input: 15, output: 75 });
    // Where the family entry is the most specific one, the override of it applies.
    assert.deepEqual(findPrice('claude-opus-4-7', family)?.price, { input: 1, output: 2 });
    const everything = mergePrices({ claude: { input: 0, output: 0 } }).table;
    assert.deepEqual(findPrice('claude-opus-4-1', everything)?.price, { input: 15, output: 75 });
    assert.deepEqual(findPrice('claude-sonnet-4-5', everything)?.price, { input: 3, output: 15 });
    assert.deepEqual(findPrice('claude-future-9', everything)?.price, { input: 0, output: 0 });
    // 100,000 Opus 4.1 requests cost what the built-in price says, whatever the short override.
    const opus = { 'claude-opus-4-1': { requests: 100_000, maxTokens: 100_000_000, estimatedInputTokens: 10_000_000 } };
    close(estimateCost(opus, everything).totalMaxUsd, estimateCost(opus).totalMaxUsd);
    assert.ok(estimateCost(opus).totalMaxUsd > 1000);
  });

  it('model names are data, never object keys: __proto__, constructor and the like price nothing else', () => {
    const hostile = JSON.parse('{"__proto__": {"input": 0, "output": 0}, "constructor": {"input": 0, "output": 0}, "toString": {"input": 7, "output": 7}}') as unknown;
    const { table, problems } = mergePrices(hostile);
    assert.deepEqual(problems, []);
    assert.deepEqual(findPrice('__proto__', table)?.price, { input: 0, output: 0 });
    assert.deepEqual(findPrice('toString', table)?.price, { input: 7, output: 7 });
    assert.deepEqual(findPrice('claude-opus-4-1', table)?.price, { input: 15, output: 75 });
    assert.equal(({} as Record<string, unknown>).input, undefined);
    // No override for them: unknown, not Object.prototype's members.
    for (const name of ['__proto__', 'constructor', 'hasOwnProperty', 'toString']) assert.equal(findPrice(name), undefined, name);
    // Names from a batch file as keys of the estimate: own entries, the prototype untouched.
    const models = JSON.parse('{"__proto__": {"requests": 1, "maxTokens": 10, "estimatedInputTokens": 5}, "constructor": {"requests": 2, "maxTokens": 10, "estimatedInputTokens": 5}}') as Record<string, { requests: number; maxTokens: number; estimatedInputTokens: number }>;
    const estimate = estimateCost(models);
    assert.deepEqual(Object.keys(estimate.perModel).sort(), ['__proto__', 'constructor']);
    assert.equal(Object.getOwnPropertyDescriptor(estimate.perModel, '__proto__')?.value.requests, 1);
    assert.deepEqual(estimate.unknownModels, ['__proto__', 'constructor']);
    const actual = estimateActualCost(JSON.parse('{"__proto__": {"inputTokens": 1, "outputTokens": 1}}') as Record<string, { inputTokens: number; outputTokens: number }>);
    assert.deepEqual(Object.keys(actual.perModel), ['__proto__']);
  });

  it('bounds what a settings object can make it do: a name of a sane length, a limited number of overrides', () => {
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`model-${i}`, { input: 1, output: 1 }]));
    const merged = mergePrices(many);
    assert.equal(merged.table.overrides.length, MAX_PRICE_OVERRIDES);
    assert.equal(merged.problems.length, 1);
    assert.match(merged.problems[0], /5,000 price overrides: only the first 200 are used/);
    const long = mergePrices({ ['x'.repeat(10_000)]: { input: 1, output: 1 } });
    assert.equal(long.table.overrides.length, 0);
    assert.match(long.problems[0], /longer than 200 characters/);
    const twice = mergePrices({ 'Claude-X': { input: 1, output: 1 }, 'claude-x': { input: 2, output: 2 } });
    assert.deepEqual(findPrice('claude-x', twice.table)?.price, { input: 2, output: 2 });
    assert.match(twice.problems[0], /"claude-x" is given twice/);
  });

  it('ignores bad overrides and says why', () => {
    const { table, problems } = mergePrices({ a: { input: -1, output: 1 }, b: { input: '3', output: 15 }, '': { input: 1, output: 1 }, ok: { input: 1, output: 2 } });
    assert.equal(problems.length, 3);
    assert.match(problems[0], /"a" needs non-negative numbers/);
    assert.deepEqual(findPrice('ok', table)?.price, { input: 1, output: 2 });
    assert.equal(findPrice('a', table), undefined);
    assert.deepEqual(mergePrices([1]).problems, ['price overrides must be an object of model name → {"input": number, "output": number}']);
    assert.deepEqual(mergePrices(undefined).problems, []);
  });
});

describe('cost: estimates', () => {
  it('prices the estimated input and the most output at half the standard rates', () => {
    const estimate = estimateCost({
      'claude-sonnet-4-5': { requests: 1000, maxTokens: 1_000_000, estimatedInputTokens: 2_000_000 },
      'claude-haiku-4-5': { requests: 10, maxTokens: 100_000, estimatedInputTokens: 400_000 },
    });
    // sonnet: 2 M × $3 × 0.5 = $3; 1 M × $15 × 0.5 = $7.50. haiku: 0.4 M × $1 × 0.5 = $0.20; 0.1 M × $5 × 0.5 = $0.25.
    close(estimate.inputUsd, 3.2);
    close(estimate.maxOutputUsd, 7.75);
    close(estimate.totalMaxUsd, 10.95);
    assert.equal(estimate.inputTokens, 2_400_000);
    assert.equal(estimate.maxOutputTokens, 1_100_000);
    assert.deepEqual(estimate.unknownModels, []);
    close(estimate.perModel['claude-haiku-4-5'].inputUsd ?? NaN, 0.2);
    assert.equal(estimate.pricesAsOf, PRICES_AS_OF);
  });

  it('lists unknown models, counts their tokens but not dollars', () => {
    const estimate = estimateCost({
      'claude-future-9': { requests: 1, maxTokens: 1000, estimatedInputTokens: 500 },
      'claude-opus-4-7': { requests: 1, maxTokens: 1_000_000, estimatedInputTokens: 0 },
    });
    assert.deepEqual(estimate.unknownModels, ['claude-future-9']);
    assert.equal(estimate.perModel['claude-future-9'].inputUsd, undefined);
    assert.equal(estimate.inputTokens, 500);
    close(estimate.totalMaxUsd, 12.5);
  });

  it('uses overrides', () => {
    const { table } = mergePrices({ 'claude-future-9': { input: 10, output: 50 } });
    const estimate = estimateCost({ 'claude-future-9': { requests: 1, maxTokens: 1_000_000, estimatedInputTokens: 1_000_000 } }, table);
    close(estimate.totalMaxUsd, 30);
    assert.deepEqual(estimate.unknownModels, []);
  });

  it('estimates from a validated file end to end', () => {
    const line = JSON.stringify({ custom_id: 'a', params: { model: 'claude-sonnet-4-5', max_tokens: 1000, messages: [{ role: 'user', content: 'x'.repeat(3500) }] } });
    const { models } = validateBatchText(line);
    const estimate = estimateCost(models);
    assert.equal(estimate.inputTokens, 1004); // 3500 / 3.5 + 4 for the message
    close(estimate.inputUsd, (1004 * 3 * 0.5) / 1e6);
    close(estimate.maxOutputUsd, (1000 * 15 * 0.5) / 1e6);
  });

  it('prices actual usage with cache writes at 1.25× and reads at 0.1× of input, all at batch rates', () => {
    const cost = estimateActualCost({
      'claude-sonnet-4-5': { inputTokens: 1_000_000, outputTokens: 1_000_000, cacheCreationInputTokens: 1_000_000, cacheReadInputTokens: 10_000_000 },
      'claude-unknown': { inputTokens: 5, outputTokens: 5 },
    });
    // input $1.50, output $7.50, writes 1 M × 3 × 1.25 × 0.5 = $1.875, reads 10 M × 3 × 0.1 × 0.5 = $1.50
    close(cost.inputUsd, 1.5);
    close(cost.outputUsd, 7.5);
    close(cost.cacheWriteUsd, 1.875);
    close(cost.cacheReadUsd, 1.5);
    close(cost.usd, 12.375);
    assert.deepEqual(cost.unknownModels, ['claude-unknown']);
    assert.deepEqual(cost.perModel['claude-unknown'], {});
  });

  it('prices 1-hour cache writes at 2× when they are split out', () => {
    const cost = estimateActualCost({ 'claude-haiku-4-5': { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 2_000_000, cacheCreation1hInputTokens: 1_000_000 } });
    // 1 M × $1 × 1.25 × 0.5 + 1 M × $1 × 2 × 0.5
    close(cost.cacheWriteUsd, 0.625 + 1);
  });
});

describe('cost: input-token heuristic', () => {
  it('counts text, images, PDFs, unsized documents, tools and messages', () => {
    assert.equal(estimateInputTokens({ textChars: 7, images: 0, pdfBytes: 0, unsizedDocuments: 0, messages: 0, hasTools: false }), 2);
    assert.equal(estimateInputTokens({ textChars: 0, images: 2, pdfBytes: 1600, unsizedDocuments: 1, messages: 3, hasTools: true }), 3200 + 100 + 3000 + 12 + 350);
  });

  it('measures base64 without decoding it', () => {
    for (const raw of ['', 'a', 'ab', 'abc', 'abcd', 'hello world!']) {
      assert.equal(base64DecodedBytes(Buffer.from(raw).toString('base64')), raw.length, raw);
    }
  });

  it('counts images, documents and tools found in a request', () => {
    const line = JSON.stringify({
      custom_id: 'a',
      params: {
        model: 'claude-haiku-4-5',
        max_tokens: 10,
        tools: [{ name: 'abcdefg', input_schema: { type: 'object' } }],
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
              { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: Buffer.alloc(3200).toString('base64') } },
              { type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } },
              { type: 'text', text: 'abcdefg' },
            ],
          },
        ],
      },
    });
    const { models } = validateBatchText(line);
    // tool: name 7 + schema {"type":"object"} ≈ 2 + (4 + 4) + (6 + 2) = 18 chars; text 7 → 32 chars / 3.5 = 9.14
    // + image 1600 + PDF 3200 / 16 = 200 + unsized document 3000 + 1 message × 4 + tools 350
    assert.equal(models['claude-haiku-4-5'].estimatedInputTokens, Math.ceil(32 / 3.5 + 1600 + 200 + 3000 + 4 + 350));
  });
});

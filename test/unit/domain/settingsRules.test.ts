import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { checkBoolean, checkNumber, checkString, NUMBER_SETTINGS, ProblemLog, userValue } from '../../../src/domain/settingsRules';

describe('settings rules', () => {
  const pageSize = NUMBER_SETTINGS.pageSize;

  it('a number in range is used as it is; none set is the default, silently', () => {
    assert.deepEqual(checkNumber('pageSize', 50, pageSize), { value: 50 });
    assert.deepEqual(checkNumber('pageSize', undefined, pageSize), { value: 20 });
    assert.deepEqual(checkNumber('pageSize', null, pageSize), { value: 20 });
  });

  it('a wrong type is the default, and says so', () => {
    for (const raw of ['abc', 'NaN', '50', '', true, [], {}, { valueOf: 5 }]) {
      const checked = checkNumber('pageSize', raw, pageSize);
      assert.equal(checked.value, 20, JSON.stringify(raw));
      assert.match(checked.problem ?? '', /^claudeBatches\.pageSize: .* is not a number, so the default, 20, is used\.$/, JSON.stringify(raw));
    }
    assert.equal(checkNumber('pageSize', 'abc', pageSize).problem, 'claudeBatches.pageSize: "abc" is not a number, so the default, 20, is used.');
    assert.equal(checkNumber('pageSize', NaN, pageSize).value, 20);
    assert.equal(checkNumber('pageSize', Infinity, pageSize).value, 20);
  });

  it('out of range is clamped, and says so', () => {
    assert.deepEqual(checkNumber('pageSize', 1e9, pageSize), { value: 1000, problem: 'claudeBatches.pageSize: 1000000000 is more than 1000, so 1000 is used.' });
    assert.deepEqual(checkNumber('pageSize', -1, pageSize), { value: 1, problem: 'claudeBatches.pageSize: -1 is less than 1, so 1 is used.' });
    assert.deepEqual(checkNumber('pageSize', 20.7, pageSize), { value: 20, problem: 'claudeBatches.pageSize: 20.7 is not a whole number, so 20 is used.' });
    const entries = NUMBER_SETTINGS['results.entriesPerSection'];
    assert.equal(checkNumber('results.entriesPerSection', 1e9, entries).value, 10_000);
    assert.equal(checkNumber('pollIntervalSeconds', 1, NUMBER_SETTINGS.pollIntervalSeconds).value, 10);
    // The poller waits an hour at most between checks (MAX_INTERVAL_MS).
    assert.equal(checkNumber('maxPollIntervalSeconds', 1e12, NUMBER_SETTINGS.maxPollIntervalSeconds).value, 3600);
  });

  it('whatever the value, the result is a whole number within the bounds', () => {
    for (const [key, rule] of Object.entries(NUMBER_SETTINGS)) {
      assert.ok(rule.min <= rule.default && rule.default <= rule.max, key);
      fc.assert(
        fc.property(fc.anything({ withBoxedValues: true, withNullPrototype: true }), fc.double(), (raw, n) => {
          for (const value of [raw, n]) {
            const checked = checkNumber(key, value, rule);
            assert.ok(Number.isInteger(checked.value) && checked.value >= rule.min && checked.value <= rule.max, `${key}: ${String(checked.value)}`);
            assert.ok((checked.problem?.length ?? 0) < 300, 'a problem line stays short');
          }
        }),
        { numRuns: 300 },
      );
    }
  });

  it('booleans and strings: a wrong type is the default, and says so', () => {
    assert.deepEqual(checkBoolean('notifyOnEnd', false, true), { value: false });
    assert.deepEqual(checkBoolean('notifyOnEnd', 'no', true), { value: true, problem: 'claudeBatches.notifyOnEnd: "no" is not true or false, so the default, true, is used.' });
    assert.deepEqual(checkString('baseUrl', ' http://h ', ''), { value: ' http://h ' });
    assert.deepEqual(checkString('baseUrl', 42, ''), { value: '', problem: 'claudeBatches.baseUrl: 42 is not text, so the default, "", is used.' });
  });

  it('describes a huge value briefly', () => {
    const huge = { a: 'x'.repeat(1_000_000) };
    assert.ok((checkNumber('pageSize', huge, pageSize).problem ?? '').length < 200);
    assert.ok((checkNumber('pageSize', 'y'.repeat(1_000_000), pageSize).problem ?? '').length < 200);
  });

  it('user-only settings: the workspace and folder values are ignored, and that is said', () => {
    const why = 'what a batch is estimated to cost';
    assert.deepEqual(userValue('prices', { defaultValue: {}, globalValue: { a: 1 } }, why), { value: { a: 1 } });
    assert.deepEqual(userValue('prices', { defaultValue: {} }, why), { value: undefined });
    const ignored = userValue('prices', { defaultValue: {}, globalValue: { a: 1 }, workspaceValue: { b: 2 }, workspaceFolderValue: { c: 3 } }, why);
    assert.deepEqual(ignored.value, { a: 1 });
    assert.equal(
      ignored.problem,
      'claudeBatches.prices is set in the workspace and workspace folder settings: ignored, since a workspace must not decide what a batch is estimated to cost. Set it in your user settings.',
    );
  });

  it('logs each problem once while it lasts, again when it comes back', () => {
    const lines: string[] = [];
    const log = new ProblemLog((line) => lines.push(line));
    log.report('pageSize', 'bad');
    log.report('pageSize', 'bad');
    log.report('pageSize', undefined);
    log.report('pageSize', 'bad');
    log.report('pageSize', 'worse');
    log.report('results.sectionEntries', 'bad');
    assert.deepEqual(lines, ['bad', 'bad', 'worse', 'bad']);
  });

  it('agrees with package.json: bounds, defaults, and the settings a workspace cannot set', () => {
    // out/test/unit/domain → the repository root.
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default?: unknown; minimum?: number; maximum?: number; scope?: string }> } };
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    };
    const properties = manifest.contributes.configuration.properties;
    for (const [key, rule] of Object.entries(NUMBER_SETTINGS)) {
      const declared = properties[`claudeBatches.${key}`];
      assert.deepEqual({ default: declared.default, min: declared.minimum, max: declared.maximum }, { default: rule.default, min: rule.min, max: rule.max }, key);
    }
    // What changes a confirmation's cost, memory spent, or where the key goes: never a workspace's.
    for (const key of ['baseUrl', 'prices', 'results.entriesPerSection', 'results.sectionEntries']) {
      assert.equal(properties[`claudeBatches.${key}`].scope, 'machine', key);
      assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(`claudeBatches.${key}`), key);
    }
  });
});

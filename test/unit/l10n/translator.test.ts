import { strict as assert } from 'node:assert';
import { currentTranslator, fillPlaceholders, l10n, setTranslator } from '../../../src/common/l10n';

describe('l10n: the translator of the layers that import no vscode', () => {
  afterEach(() => setTranslator(undefined));

  it('fills {n} placeholders as vscode.l10n.t does, leaving one without a value and other braces as they are', () => {
    assert.equal(fillPlaceholders('Submitted {0} as batch {1}.', 'a.jsonl', 'msgbatch_1'), 'Submitted a.jsonl as batch msgbatch_1.');
    assert.equal(fillPlaceholders('{1} then {0}, {0} again', 1, true), 'true then 1, 1 again');
    assert.equal(fillPlaceholders('{0} and {2}', 'x'), 'x and {2}');
    assert.equal(fillPlaceholders('like {"custom_id": "…"} and {custom_id}', 'x'), 'like {"custom_id": "…"} and {custom_id}');
    assert.equal(fillPlaceholders('no args {0}'), 'no args {0}');
  });

  it('uses the translator installed, and goes back to English when it is taken away', () => {
    assert.equal(l10n.t('{0} results', 3), '3 results');
    const german: Record<string, string> = { '{0} results': '{0} Ergebnisse' };
    setTranslator((message, ...args) => fillPlaceholders(german[message] ?? message, ...args));
    assert.equal(l10n.t('{0} results', 3), '3 Ergebnisse');
    assert.equal(l10n.t('untranslated {0}', 'x'), 'untranslated x');
    assert.equal(currentTranslator()('{0} results', 1), '1 Ergebnisse');
    setTranslator(undefined);
    assert.equal(l10n.t('{0} results', 3), '3 results');
  });
});

import { strict as assert } from 'node:assert';
import * as l10n from '@vscode/l10n';
import { outcomeSummary } from '../../../src/common/requestCounts';
import { currentBundle, useBundle } from '../../../src/common/l10n';
import { checkApiKey } from '../../../src/api/apiKey';

describe('l10n: the words of the layers that import no vscode', () => {
  afterEach(() => useBundle(undefined));

  it('are English as written, {n} placeholders filled as vscode.l10n.t fills them', () => {
    assert.equal(l10n.t('Submitted {0} as batch {1}.', 'a.jsonl', 'msgbatch_1'), 'Submitted a.jsonl as batch msgbatch_1.');
    assert.equal(l10n.t('{1} then {0}, {0} again', 1, true), 'true then 1, 1 again');
    assert.equal(l10n.t('like {"custom_id": "…"} and {custom_id} and {2}', 'x'), 'like {"custom_id": "…"} and {custom_id} and {2}');
  });

  it('follow the bundle VS Code loaded for the display language, in the code that words them', () => {
    useBundle({ '{0} succeeded': '{0} erfolgreich', '{0} errored': '{0} fehlgeschlagen', '{0} is empty.': '{0} ist leer.', 'The API key': 'Der API-Schlüssel' });
    assert.deepEqual(currentBundle()?.['{0} succeeded'], '{0} erfolgreich');
    assert.equal(outcomeSummary({ processing: 0, succeeded: 3, errored: 1, canceled: 0, expired: 0 }, 'words'), '3 erfolgreich, 1 fehlgeschlagen');
    assert.deepEqual(checkApiKey('  '), { ok: false, problem: 'Der API-Schlüssel ist leer.' });
    useBundle(undefined);
    assert.equal(outcomeSummary({ processing: 0, succeeded: 3, errored: 1, canceled: 0, expired: 0 }, 'words'), '3 succeeded, 1 errored');
  });
});

import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';

describe('activation', () => {
  it('activates and contributes its view container', async () => {
    const ext = vscode.extensions.getExtension('claude-batches.claude-batches');
    assert.ok(ext, 'extension claude-batches.claude-batches is not installed');
    await ext.activate();
    assert.equal(ext.isActive, true);
    assert.equal(vscode.version.startsWith('1.'), true);
  });
});

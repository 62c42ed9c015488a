// The extension's entry for the extension-host tests only: the same activation as src/extension.ts,
// with the features loaded at once, and `activate()` returns the running services and the dialog
// seam, so tests reach them. esbuild bundles it as dist/extension.test.js, which the .vsix never
// contains (.vscodeignore ships only the production bundles); the harness loads it through
// out/test-extension/.
import type * as vscode from 'vscode';
import { start } from '../src/extension';
import type { ExtensionTestApi } from '../src/vscode/core/extensionInternals';

export function activate(context: vscode.ExtensionContext): ExtensionTestApi {
  // The seam of the features' bundle: its copy of ui.ts is the one their dialogs go through.
  const { module, internals } = start(context, { now: true })();
  // Not a spread: that would read the lazy getters (the authoring features) at activation.
  return Object.assign(internals, { setUi: module.setUi });
}

export { deactivate } from '../src/extension';

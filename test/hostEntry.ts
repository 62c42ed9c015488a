// The extension's entry for the extension-host tests only: the same wiring as src/extension.ts,
// but `activate()` returns the running services and the dialog seam, so tests reach them. esbuild
// bundles it as dist/extension.test.js, which the .vsix never contains (.vscodeignore ships only
// the production bundles); the harness loads it through out/test-extension/.
import type * as vscode from 'vscode';
import { wire } from '../src/extension';
import type { ExtensionTestApi } from '../src/vscode/core/extensionInternals';
import { setUi } from '../src/vscode/core/ui';

export function activate(context: vscode.ExtensionContext): ExtensionTestApi {
  // Not a spread: that would read the lazy getters (the authoring features) at activation.
  return Object.assign(wire(context), { setUi });
}

export { deactivate } from '../src/extension';

// Shared by the extension-host tests: the running extension's services and a fresh emulator
// wired to it through the real settings.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ScriptedUi } from './scriptedUi';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator';
import type { ExtensionTestApi } from '../../src/vscode/core/extensionInternals';

export async function extensionApi(): Promise<ExtensionTestApi> {
  const ext = vscode.extensions.getExtension<ExtensionTestApi>('claude-batches.claude-batches');
  if (!ext) throw new Error('claude-batches.claude-batches is not loaded');
  const api = await ext.activate();
  if (!api) throw new Error('The extension returned no test API: the extension-host suite must load the test entry (out/test-extension, built from test/hostEntry.ts); run it with `npm run test:vscode`.');
  return api;
}

/**
 * Starts an emulator that accepts the key the runner put in ANTHROPIC_API_KEY, and points
 * `claudeBatches.baseUrl` at it. Call `stop()` in `after`.
 */
export async function useEmulator(options: EmulatorOptions = {}): Promise<Emulator & { stop(): Promise<void> }> {
  // A random seed: batch ids differ from every earlier emulator's, as they would on the real API
  // (the extension remembers batches by id across tests, in its global storage).
  const seed = Math.floor(Math.random() * 2 ** 31);
  const emulator = await startEmulator({ apiKey: process.env.ANTHROPIC_API_KEY, seed, ...options });
  await setBaseUrl(emulator.url);
  return Object.assign(emulator, {
    stop: async () => {
      await setBaseUrl(undefined);
      await emulator.close();
    },
  });
}

/**
 * Sets claudeBatches.baseUrl and waits until VS Code has told the extension (which resets its
 * store on that event), so a test never races the extension's own reaction.
 */
async function setBaseUrl(url: string | undefined): Promise<void> {
  const config = () => vscode.workspace.getConfiguration('claudeBatches');
  if ((config().get<string>('baseUrl') || undefined) === url) return;
  const changed = new Promise<void>((resolve) => {
    const sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('claudeBatches.baseUrl')) {
        sub.dispose();
        resolve();
      }
    });
  });
  await config().update('baseUrl', url, vscode.ConfigurationTarget.Global);
  await changed;
}

/** The workspace the runner opened (a temp copy of test/fixtures/workspace). */
export function workspaceDir(): string {
  const dir = process.env.CLAUDE_BATCHES_TEST_WORKSPACE;
  if (!dir) throw new Error('CLAUDE_BATCHES_TEST_WORKSPACE is not set by the runner');
  return dir;
}

let fileCounter = 0;

/** Writes a batch file of `count` requests into the workspace; unique content unless `tag` repeats. */
export function writeBatchFile(count: number, tag = `${Date.now()}-${++fileCounter}`, name = `batch-${tag}.jsonl`): vscode.Uri {
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      custom_id: `req-${i + 1}`,
      params: { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: `Question ${i + 1} (${tag})` }] },
    }),
  );
  const file = path.join(workspaceDir(), name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return vscode.Uri.file(file);
}

/** Installs a scripted Ui for one test; restore with the returned function. */
export async function scriptUi(): Promise<{ ui: ScriptedUi; restore: () => void }> {
  const api = await extensionApi();
  const ui = new ScriptedUi();
  api.setUi(ui);
  return { ui, restore: () => api.setUi(undefined) };
}

/** Fresh state for each test: the store forgets the last emulator's batches. */
export async function resetStore(): Promise<void> {
  const { store } = await extensionApi();
  store.reset();
  await store.refresh();
}

export type TestEmulator = Awaited<ReturnType<typeof useEmulator>>;

/**
 * For a suite whose tests each want a fresh emulator, a fresh list, and scripted dialogs:
 * registers the hooks and returns the current test's emulator and Ui.
 */
export function perTest(options: EmulatorOptions = {}): { readonly emulator: TestEmulator; readonly ui: ScriptedUi } {
  let emulator: TestEmulator | undefined;
  let ui: ScriptedUi | undefined;
  let restore = () => undefined as void;
  beforeEach(async () => {
    emulator = await useEmulator(options);
    await resetStore();
    ({ ui, restore } = await scriptUi());
  });
  afterEach(async () => {
    restore();
    await emulator?.stop();
  });
  return {
    get emulator() {
      if (!emulator) throw new Error('no emulator outside a test');
      return emulator;
    },
    get ui() {
      if (!ui) throw new Error('no Ui outside a test');
      return ui;
    },
  };
}

/** Every file below `dir` (the extension host's log folders), for greps that must find no secret. */
export function logFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name));
}

// Shared by the extension-host tests: the running extension's services and a fresh emulator
// wired to it through the real settings.
import * as vscode from 'vscode';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator';
import type { ExtensionApi } from '../../src/vscode/extensionApi';

export async function extensionApi(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>('claude-batches.claude-batches');
  if (!ext) throw new Error('claude-batches.claude-batches is not loaded');
  return ext.activate();
}

/**
 * Starts an emulator that accepts the key the runner put in ANTHROPIC_API_KEY, and points
 * `claudeBatches.baseUrl` at it. Call `stop()` in `after`.
 */
export async function useEmulator(options: EmulatorOptions = {}): Promise<Emulator & { stop(): Promise<void> }> {
  const emulator = await startEmulator({ apiKey: process.env.ANTHROPIC_API_KEY, ...options });
  await vscode.workspace.getConfiguration('claudeBatches').update('baseUrl', emulator.url, vscode.ConfigurationTarget.Global);
  return Object.assign(emulator, {
    stop: async () => {
      await vscode.workspace.getConfiguration('claudeBatches').update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
      await emulator.close();
    },
  });
}

import * as vscode from 'vscode';
import { mergePrices, type PriceTable } from '../domain/cost';
import { POLL_DEFAULTS, type PollSettings } from '../domain/pollSchedule';

/** Typed reads of the `claudeBatches.*` settings. */
export const Settings = {
  section: 'claudeBatches',

  /** Empty string: the SDK's default (api.anthropic.com, or ANTHROPIC_BASE_URL). */
  baseUrl(): string {
    // Machine-scoped (VS Code ignores it in workspace settings) and restricted in untrusted
    // workspaces (package.json): a workspace cannot redirect the key to its own server.
    return (vscode.workspace.getConfiguration(this.section).get<string>('baseUrl') ?? '').trim();
  },

  poll(): PollSettings {
    const config = vscode.workspace.getConfiguration(this.section);
    return {
      intervalSeconds: config.get<number>('pollIntervalSeconds', POLL_DEFAULTS.intervalSeconds),
      maxIntervalSeconds: config.get<number>('maxPollIntervalSeconds', POLL_DEFAULTS.maxIntervalSeconds),
    };
  },

  notifyOnEnd(): boolean {
    return vscode.workspace.getConfiguration(this.section).get<boolean>('notifyOnEnd', true);
  },

  /** The price table with the user's overrides (claudeBatches.prices) merged in. */
  prices(): PriceTable {
    const overrides = vscode.workspace.getConfiguration(this.section).get<unknown>('prices');
    return mergePrices(overrides ?? {}).table;
  },

  /** Entries shown per section in a results document. */
  resultsEntriesPerSection(): number {
    return Math.max(1, vscode.workspace.getConfiguration(this.section).get<number>('results.entriesPerSection', 200));
  },

  /** Entries shown when one section is opened on its own. */
  resultsSectionEntries(): number {
    return Math.max(1, vscode.workspace.getConfiguration(this.section).get<number>('results.sectionEntries', 2000));
  },

  pageSize(): number {
    const value = vscode.workspace.getConfiguration(this.section).get<number>('pageSize', 20);
    return Math.min(1000, Math.max(1, Math.floor(value)));
  },
};

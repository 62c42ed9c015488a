// The data commands as activation registers them: thin calls into the data bundle, loaded on the
// first run, handed what it must share with the extension (dataHost.ts).
import * as vscode from 'vscode';
import { labelOf, requireApi, resolveBatch } from '../commands/batchArgument';
import type { CommandTarget } from '../commands/commandArguments';
import { CommandIds } from '../commands/commandIds';
import { executeCommand, UserCancelled } from '../commands/commandRunner';
import type { Services } from '../core/services';
import { Settings } from '../core/settings';
import { ui } from '../core/ui';
import type { DataHost } from './dataHost';
import { dataModule } from './dataModule';

function host(services: Services): DataHost {
  return {
    services,
    ui,
    cancelled: () => new UserCancelled(),
    resolveBatch: (target, options) => resolveBatch(services, target, options),
    labelOf: (batch) => labelOf(services, batch),
    requireApi: () => requireApi(services),
    submit: (file) => void executeCommand(CommandIds.submitFile, file),
    prices: () => Settings.prices(),
  };
}

export function createBatchFromData(services: Services, target: CommandTarget, template: unknown): Promise<vscode.Uri | undefined> {
  return dataModule().createBatchFromData(host(services), target, template instanceof vscode.Uri ? template : undefined);
}

export function saveResultsAsCsv(services: Services, target: CommandTarget): Promise<vscode.Uri | undefined> {
  return dataModule().saveResultsAsCsv(host(services), target);
}

// What the data bundle (dist/data.js) gets from the extension instead of importing it: modules
// with state would be second copies inside that bundle, so the dialogs tests script, the
// cancellation the command wrapper keeps quiet and the settings problems reported once would not
// be the extension's. Types only here; the extension builds the host (dataCommandStubs.ts).
import type * as vscode from 'vscode';
import type { BatchesApi, MessageBatch } from '../../api';
import type { PriceTable } from '../../domain/cost';
import type { CommandTarget } from '../commands/commandArguments';
import type { Services } from '../core/services';
import type { Ui } from '../core/ui';

export interface DataHost {
  services: Services;
  ui(): Ui;
  /** The error that ends a command quietly: the user backed out. */
  cancelled(): Error;
  resolveBatch(target: CommandTarget, options: { applies: (b: MessageBatch) => boolean; placeHolder: string; none: string }): Promise<MessageBatch>;
  labelOf(batch: MessageBatch): string;
  requireApi(): Promise<BatchesApi>;
  /** Runs Submit as Batch on a file. */
  submit(file: vscode.Uri): void;
  prices(): PriceTable;
}

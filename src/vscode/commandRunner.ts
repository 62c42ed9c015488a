import * as vscode from 'vscode';
import { describeError } from '../api';
import type { CommandId } from './commandIds';
import type { Log } from './log';
import { Settings } from './settings';
import { ui } from './ui';

/** Thrown (or returned through) when the user backs out of a prompt: stays quiet. */
export class UserCancelled extends Error {
  constructor() {
    super('Cancelled by the user.');
    this.name = 'UserCancelled';
  }
}

/**
 * Registers a command behind the one error wrapper: cancellation is quiet; anything else is logged
 * once and shown once, in words from `describeError`, with the API's request id.
 */
export function registerCommand(
  context: vscode.ExtensionContext,
  log: Log,
  id: CommandId,
  handler: (arg?: unknown, arg2?: unknown) => unknown,
  /** What the command does, for error messages: "Cancelling the batch failed: …". */
  action?: string,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(id, async (arg?: unknown, arg2?: unknown) => {
      try {
        return await handler(arg, arg2);
      } catch (err) {
        reportError(log, err, action);
        return undefined;
      }
    }),
  );
}

/** Shows an error once and logs it once. Returns nothing the caller needs to handle further. */
export function reportError(log: Log, err: unknown, action: string | undefined): void {
  if (err instanceof UserCancelled || err instanceof vscode.CancellationError) return;
  const described = describeError(err, { action, baseUrl: Settings.baseUrl() || undefined });
  if (described.kind === 'aborted') return;
  log.error(described.message, err);
  void ui()
    .error(described.message, 'Show Log')
    .then((choice) => {
      if (choice === 'Show Log') log.show();
    });
}

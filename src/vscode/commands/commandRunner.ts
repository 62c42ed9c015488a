import * as vscode from 'vscode';
import { describeError } from '../../api';
import type { AnyCommandId, CommandArgs, CommandId, CommandResult, ExtensionCommands } from './commandIds';
import type { Log } from '../core/log';
import { Settings } from '../core/settings';
import { ui } from '../core/ui';

/** Thrown (or returned through) when the user backs out of a prompt: stays quiet. */
export class UserCancelled extends Error {
  constructor() {
    super(vscode.l10n.t('Cancelled by the user.'));
    this.name = 'UserCancelled';
  }
}

/**
 * A command's handler behind the one error wrapper: cancellation is quiet; anything else is logged
 * once and shown once, in words from `describeError`, with the API's request id. The handler gets
 * what VS Code passes, as it is: commands/index.ts decodes it once (commandArguments.ts).
 */
export function guardCommand<K extends CommandId>(
  log: Log,
  handler: (...args: unknown[]) => CommandResult<K> | Promise<CommandResult<K>>,
  /** What the command does, for error messages: "Cancelling the batch failed: …". */
  action?: string,
): (...args: unknown[]) => Promise<CommandResult<K> | undefined> {
  return async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (err) {
      reportError(log, err, action);
      return undefined;
    }
  };
}

/** Shows an error once and logs it once. Returns nothing the caller needs to handle further. */
function reportError(log: Log, err: unknown, action: string | undefined): void {
  if (err instanceof UserCancelled || err instanceof vscode.CancellationError) return;
  const described = describeError(err, { action, baseUrl: Settings.baseUrl() || undefined });
  if (described.kind === 'aborted') return;
  log.error(described.message, err);
  void ui()
    .error(described.message, vscode.l10n.t('Show Log'))
    .then((choice) => {
      if (choice === vscode.l10n.t('Show Log')) log.show();
    });
}

/**
 * Runs a command of the map with the arguments its signature takes. Resolves to undefined when the
 * command failed (it has said so) or the user backed out.
 */
export function executeCommand<K extends AnyCommandId>(id: K, ...args: CommandArgs<K>): Thenable<CommandResult<K> | undefined> {
  return vscode.commands.executeCommand<CommandResult<K> | undefined>(id, ...args);
}

/** The `command` of a tree item, a status bar item or a CodeLens. */
export function commandOf<K extends AnyCommandId>(id: K, title: string, ...args: CommandArgs<K>): vscode.Command {
  return args.length ? { command: id, title, arguments: args } : { command: id, title };
}

/**
 * A `command:` link, for trusted Markdown (list the id in `enabledCommands`) and document links.
 * The arguments travel as JSON: ids and section names, never a Uri or a tree row.
 */
export function commandLink<K extends CommandId>(id: K, ...args: Parameters<ExtensionCommands[K]>): string {
  return args.length ? `command:${id}?${encodeURIComponent(JSON.stringify(args))}` : `command:${id}`;
}

import * as vscode from 'vscode';
import type { MessageBatch } from '../../api';
import { parseGroupRef } from './commandIds';
import { BatchNode, GroupNode } from '../views/batchesTree';

/**
 * What a command was given, decoded once from what VS Code passes (a row of the Batches view, a
 * batch id, `group:<id>`, a file, a retry's file and parent batch, or nothing). Each command
 * takes the kinds it applies to and asks (a pick) for anything else, as from the palette.
 */
export type CommandTarget =
  /** A row of the Batches view: the batch as the view showed it. */
  | { kind: 'batch'; batch: MessageBatch }
  | { kind: 'batchId'; batchId: string }
  /** The batches one file was split into. */
  | { kind: 'group'; groupId: string }
  | { kind: 'file'; uri: vscode.Uri; parentBatchId?: string }
  /** Nothing the command can use: the palette, a view's title bar, a key binding. */
  | { kind: 'none' };

export function commandTarget(arg: unknown): CommandTarget {
  if (arg instanceof BatchNode) return { kind: 'batch', batch: arg.batch };
  if (arg instanceof GroupNode) return { kind: 'group', groupId: arg.groupId };
  if (typeof arg === 'string') {
    const groupId = parseGroupRef(arg);
    return groupId === undefined ? { kind: 'batchId', batchId: arg } : { kind: 'group', groupId };
  }
  if (arg instanceof vscode.Uri) return { kind: 'file', uri: arg };
  if (isRetryFile(arg)) return { kind: 'file', uri: arg.uri, parentBatchId: arg.parentBatchId };
  return { kind: 'none' };
}

/** A retry passes `{uri, parentBatchId}`: the new batch remembers the batch it retries. */
function isRetryFile(arg: unknown): arg is { uri: vscode.Uri; parentBatchId: string } {
  if (typeof arg !== 'object' || arg === null) return false;
  const { uri, parentBatchId } = arg as { uri?: unknown; parentBatchId?: unknown };
  return uri instanceof vscode.Uri && typeof parentBatchId === 'string';
}

// The Batches view's rows, as a pure function of the store's pages and the registry's records:
// batches in the store's order, the parts of a split file gathered under one group row in part
// order, "Load more…" while the API has older pages, and which welcome view or message shows when
// there are no rows to show. The VS Code tree only renders what is computed here.
import * as l10n from '@vscode/l10n';
import type { MessageBatch } from '../api';
import type { ListState } from './batchStore';
import type { SubmissionRecord } from './submissionRegistry';
import { apiHasResults, isEnded } from '../common/batchStatus';
import { outcomeSummary, sumRequestCounts } from '../common/requestCounts';

/** A row for one batch, with what this machine remembers about it (when it submitted it). */
export class BatchRow {
  readonly kind = 'batch';
  constructor(
    readonly batch: MessageBatch,
    readonly record?: SubmissionRecord,
  ) {}
}

/** The batches one file over the limits was split into, shown together, in part order. */
export class GroupRow {
  readonly kind = 'group';
  constructor(
    readonly groupId: string,
    readonly label: string,
    readonly members: readonly BatchRow[],
  ) {}
}

/** The "Load more…" row at the end of the loaded pages. */
export class LoadMoreRow {
  readonly kind = 'loadMore';
}

export type TreeRow = BatchRow | GroupRow | LoadMoreRow;

/** What the rows are computed from: the store's loaded pages and the registry's records. */
export interface BatchTreeSource {
  /** Newest first, as the store holds them. */
  readonly batches: readonly MessageBatch[];
  /** Whether the API has older batches than those loaded. */
  readonly hasMore: boolean;
  /** What this machine remembers of a batch, if it submitted it. */
  record(batchId: string): SubmissionRecord | undefined;
}

const LOAD_MORE = new LoadMoreRow();

/** The rows at one moment. Immutable: a change in the store or registry makes a new tree. */
export class BatchTree {
  static readonly empty = new BatchTree([], new Map(), new Map());

  private constructor(
    /** The top-level rows: batches and groups, newest first, then "Load more…" if any. */
    readonly rows: readonly TreeRow[],
    private readonly byId: ReadonlyMap<string, BatchRow>,
    private readonly groupOf: ReadonlyMap<string, GroupRow>,
  ) {}

  /** The row showing a batch, for revealing it. */
  row(batchId: string): BatchRow | undefined {
    return this.byId.get(batchId);
  }

  /** The group row a batch row sits under; undefined for top-level rows. */
  parentOf(row: TreeRow): GroupRow | undefined {
    return row instanceof BatchRow ? this.groupOf.get(row.batch.id) : undefined;
  }

  /** The rows under a row: a group's members; nothing under a batch or "Load more…". */
  childrenOf(row: TreeRow | undefined): readonly TreeRow[] {
    if (row === undefined) return this.rows;
    return row instanceof GroupRow ? row.members : [];
  }

  /**
   * Computes the rows. Each record is looked up once. A batch row of `previous` is kept when
   * neither its batch nor its record changed, so the view's selection and reveal, which hold row
   * objects, keep working across refreshes.
   */
  static from(source: BatchTreeSource, previous: BatchTree = BatchTree.empty): BatchTree {
    const byId = new Map<string, BatchRow>();
    const groups = new Map<string, { label: string; members: { row: BatchRow; part: number }[] }>();
    // Each group takes the place of its newest member; filled in once the members are known.
    const slots: (BatchRow | string)[] = [];
    for (const batch of source.batches) {
      const record = source.record(batch.id);
      const known = previous.byId.get(batch.id);
      const row = known && known.batch === batch && known.record === record ? known : new BatchRow(batch, record);
      byId.set(batch.id, row);
      const group = record?.group;
      if (!group) {
        slots.push(row);
        continue;
      }
      let members = groups.get(group.id);
      if (!members) {
        members = { label: group.label, members: [] };
        groups.set(group.id, members);
        slots.push(group.id);
      }
      members.members.push({ row, part: group.part });
    }
    const groupOf = new Map<string, GroupRow>();
    const groupRows = new Map<string, GroupRow>();
    for (const [id, { label, members }] of groups) {
      const ordered = [...members].sort((a, b) => a.part - b.part).map((m) => m.row);
      const row = new GroupRow(id, label, ordered);
      groupRows.set(id, row);
      for (const member of ordered) groupOf.set(member.batch.id, row);
    }
    const rows: TreeRow[] = slots.map((slot) => (typeof slot === 'string' ? groupRows.get(slot)! : slot));
    if (source.hasMore) rows.push(LOAD_MORE);
    return new BatchTree(rows, byId, groupOf);
  }
}

/** How a group row reads: e.g. `2 batches · 1 running`, `3 batches · ended · 980 ✓ 15 ✗`. */
export interface GroupPresentation {
  description: string;
  /** What a screen reader says: the row in words (`3 batches, ended, 980 succeeded, 15 errored`). */
  accessibleLabel: string;
  /** A codicon id: turning while any part runs. */
  icon: 'sync~spin' | 'layers';
  tooltip: string;
  /** The row's contextValue: `hasResults` once every part ended with results still kept by the API. */
  capabilities: 'group' | 'group hasResults';
}

export function groupPresentation(group: GroupRow): GroupPresentation {
  const batches = group.members.map((m) => m.batch);
  const running = batches.filter((b) => !isEnded(b)).length;
  const allEnded = batches.every(apiHasResults);
  return {
    description: l10n.t('{0} batches · {1}', batches.length, running ? l10n.t('{0} running', running) : l10n.t('ended · {0}', outcomeSummary(sumRequestCounts(batches), 'symbols'))),
    accessibleLabel: l10n.t('{0}, {1} batches, {2}', group.label, batches.length, running ? l10n.t('{0} running', running) : l10n.t('ended, {0}', outcomeSummary(sumRequestCounts(batches), 'words'))),
    icon: running ? 'sync~spin' : 'layers',
    tooltip: l10n.t('{0}: one file submitted as {1} batches (each within the API\'s limits).', group.label, batches.length),
    // not translated: capabilities are context values for the menus' `when` clauses
    capabilities: allEnded ? 'group hasResults' : 'group',
  };
}

/** The value of the context key the view's welcome contents (package.json) are keyed on. */
export type ListStateKey = 'noKey' | 'loading' | 'empty' | 'ready' | 'keyRejected' | 'unreachable' | 'error';

/**
 * What the view shows besides its rows: the welcome contents when there are none, and a message
 * above them when a refresh failed but the rows loaded before are still shown.
 */
export function listView(state: ListState, count: number): { key: ListStateKey; message?: string } {
  return { key: listStateKey(state, count), message: state.kind === 'error' && count > 0 ? `⚠ ${state.error.message}` : undefined };
}

function listStateKey(state: ListState, count: number): ListStateKey {
  switch (state.kind) {
    case 'noKey':
      return 'noKey';
    case 'loading':
      return 'loading';
    case 'ready':
      return count === 0 ? 'empty' : 'ready';
    case 'error':
      if (state.error.kind === 'auth' || state.error.kind === 'permission') return 'keyRejected';
      if (state.error.kind === 'connection' || state.error.kind === 'timeout') return 'unreachable';
      return 'error';
  }
}

/** Whether the first page still has to be asked for when the view is shown. */
export function wantsFirstPage(state: ListState, isLoaded: boolean): boolean {
  return !isLoaded && state.kind === 'loading';
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatCount } from '../../common/format';
import { outcomeSummary } from '../../common/requestCounts';
import { DisposableObject } from '../../domain/lifecycle';
import { markdownText } from '../../domain/markdown';
import type { AnswerBrief, AnswerBriefs, ArchiveStatus } from '../../domain/results';
import { recordLabel, type SubmissionRecord, type SubmissionRegistry } from '../../domain/submissionRegistry';
import { CommandIds } from '../commands/commandIds';
import { commandLink, commandOf } from '../commands/commandRunner';
import { resultsModule } from './resultsModule';
import type { ResultsService } from './resultsService';

/** Copies of results whose briefs are kept at once (each at most MAX_BRIEFS small entries). */
const KEPT_COPIES = 3;
/** Lines of a batch file one call for inlay hints looks at, however large the range asked. */
const MAX_HINT_LINES = 2_000;

/** One batch submitted from the file, with its local copy of results. */
interface LocalPart {
  record: SubmissionRecord;
  status: ArchiveStatus;
}

/** What a batch file shows of its results: the batches of its newest submission with results here. */
interface Beside {
  parts: LocalPart[];
  /** The file's text is not what was submitted: answers are not shown beside lines. */
  edited: boolean;
}

const samePath = (a: string, b: string) => path.normalize(a) === path.normalize(b);

function outcomeLine(brief: AnswerBrief): string {
  switch (brief.outcome) {
    case 'succeeded': {
      const tokens = brief.outputTokens !== undefined ? vscode.l10n.t('{0} in / {1} out tokens', formatCount(brief.inputTokens ?? 0), formatCount(brief.outputTokens)) : '';
      return ['✓ succeeded', brief.stopReason, tokens].filter(Boolean).join(' · ');
    }
    case 'errored':
      return vscode.l10n.t('✗ errored · {0}', brief.errorType ?? 'error');
    case undefined:
      return vscode.l10n.t('a result of an unknown type');
    default:
      return brief.outcome;
  }
}

/** The short text after a request line. */
function hintText(brief: AnswerBrief): string {
  const head = brief.outcome === 'succeeded' ? `✓ ${brief.stopReason ?? ''}`.trim() : brief.outcome === 'errored' ? `✗ ${brief.errorType ?? 'errored'}` : (brief.outcome ?? 'unknown');
  const tail = brief.outcome === 'succeeded' ? brief.answer : brief.errorMessage;
  const short = tail && tail.length > 60 ? `${tail.slice(0, 59)}…` : tail;
  return short ? `${head} · ${short}` : head;
}

/**
 * A batch file shows its results in place once they are local: a CodeLens at the top with how the
 * requests ended (and Open Results, Retry Failed), and on each request line an inlay hint and a
 * hover with how it ended, its stop reason, tokens and the start of its answer. A file edited
 * since it was submitted says so instead: its lines may no longer be the requests answered.
 *
 * Bounded: the answers are looked up in a map of briefs built once per local copy (readAnswerBriefs,
 * capped), and only the lines VS Code asks about are read. A file never submitted from this
 * machine costs a look at the registry; the results code loads only for one that was.
 */
export class AnswersBeside extends DisposableObject implements vscode.HoverProvider, vscode.InlayHintsProvider, vscode.CodeLensProvider {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;
  readonly onDidChangeInlayHints = this.changed.event;
  /** Briefs per copy (path, download time, lines), least recently used first. */
  private readonly briefs = new Map<string, Promise<AnswerBriefs>>();
  /** Whether a document's version is what was submitted, per document and hash. */
  private readonly unchanged = new WeakMap<vscode.TextDocument, { version: number; hash: string; unchanged: boolean }>();

  constructor(
    private readonly registry: SubmissionRegistry,
    private readonly results: ResultsService,
  ) {
    super();
    this.register(results.onDidChange(() => this.changed.fire()));
    this.register(registry.onDidChange(() => this.changed.fire()));
  }

  /** The newest submission of the file that has results here, or undefined. */
  async besideOf(document: vscode.TextDocument): Promise<Beside | undefined> {
    if (document.uri.scheme !== 'file') return undefined;
    const records = this.registry.list().filter((r) => r.sourcePath !== undefined && samePath(r.sourcePath, document.uri.fsPath));
    if (records.length === 0) return undefined;
    // Newest first; the parts of a split file are one submission.
    const seen = new Set<string>();
    for (const record of records) {
      const key = record.group?.id ?? record.batchId;
      if (seen.has(key)) continue;
      seen.add(key);
      const submission = record.group ? records.filter((r) => r.group?.id === record.group!.id).sort((a, b) => a.group!.part - b.group!.part) : [record];
      const parts: LocalPart[] = [];
      for (const r of submission) {
        const status = await this.results.archive.status(r.batchId);
        if (status) parts.push({ record: r, status });
      }
      if (parts.length > 0) return { parts, edited: !this.isUnchanged(document, record.contentHash) };
    }
    return undefined;
  }

  private isUnchanged(document: vscode.TextDocument, hash: string): boolean {
    const known = this.unchanged.get(document);
    if (known && known.version === document.version && known.hash === hash) return known.unchanged;
    const unchanged = resultsModule().isUnchangedSince(document.getText(), hash);
    this.unchanged.set(document, { version: document.version, hash, unchanged });
    return unchanged;
  }

  /** The briefs of a local copy, built once per copy (the few most recent kept). */
  briefsOf(status: ArchiveStatus): Promise<AnswerBriefs> {
    const key = JSON.stringify([status.path, status.downloadedAt, status.lines]);
    let kept = this.briefs.get(key);
    if (kept) {
      this.briefs.delete(key);
    } else {
      kept = resultsModule().readAnswerBriefs(status.path);
      // A failed read is not kept: the next hover tries again.
      kept.catch(() => this.briefs.delete(key));
    }
    this.briefs.set(key, kept);
    while (this.briefs.size > KEPT_COPIES) this.briefs.delete(this.briefs.keys().next().value!);
    return kept;
  }

  private async lookup(beside: Beside, customId: string): Promise<{ part: LocalPart; brief: AnswerBrief } | undefined> {
    for (const part of beside.parts) {
      const brief = (await this.briefsOf(part.status)).byId.get(customId);
      if (brief) return { part, brief };
    }
    return undefined;
  }

  private editedNote(beside: Beside): string {
    const name = path.basename(beside.parts[0].record.sourcePath ?? beside.parts[0].record.label);
    return vscode.l10n.t('{0} was edited since it was submitted: its lines may not be the requests answered, so answers are not shown beside them.', name);
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const customId = resultsModule().customIdOfLine(document.lineAt(position.line).text);
    if (customId === undefined) return undefined;
    const beside = await this.besideOf(document);
    if (!beside) return undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: [CommandIds.openResults, CommandIds.openResultInFull] };
    if (beside.edited) {
      md.appendMarkdown(markdownText(this.editedNote(beside)));
      return new vscode.Hover(md);
    }
    const found = await this.lookup(beside, customId);
    if (!found) {
      md.appendMarkdown(vscode.l10n.t('{0}: no result in the local copy.', markdownText(customId)));
      return new vscode.Hover(md);
    }
    const { part, brief } = found;
    md.appendMarkdown(`**${markdownText(customId)}**: ${markdownText(outcomeLine(brief))}`);
    if (brief.model) md.appendMarkdown(` · ${markdownText(brief.model)}`);
    md.appendMarkdown('\n\n');
    if (brief.answer) md.appendMarkdown(`${markdownText(brief.answer)}\n\n`);
    if (brief.errorMessage) md.appendMarkdown(`${markdownText(brief.errorMessage)}\n\n`);
    md.appendMarkdown(vscode.l10n.t('[Open in Full]({0} "This answer, whole") · ', commandLink(CommandIds.openResultInFull, part.record.batchId, customId)));
    md.appendMarkdown(vscode.l10n.t('[Open the results of {0}]({1} "Open the results document")', markdownText(recordLabel(part.record)), commandLink(CommandIds.openResults, part.record.batchId)));
    return new vscode.Hover(md, document.lineAt(position.line).range);
  }

  async provideInlayHints(document: vscode.TextDocument, range: vscode.Range): Promise<vscode.InlayHint[]> {
    const beside = await this.besideOf(document);
    if (!beside || beside.edited) return [];
    const maps = await Promise.all(beside.parts.map((p) => this.briefsOf(p.status)));
    const hints: vscode.InlayHint[] = [];
    const last = Math.min(range.end.line, document.lineCount - 1, range.start.line + MAX_HINT_LINES - 1);
    const { customIdOfLine } = resultsModule();
    for (let line = range.start.line; line <= last; line++) {
      const text = document.lineAt(line);
      const customId = customIdOfLine(text.text);
      if (customId === undefined) continue;
      const brief = maps.map((m) => m.byId.get(customId)).find((b) => b !== undefined);
      if (!brief) continue;
      const hint = new vscode.InlayHint(text.range.end, hintText(brief));
      hint.paddingLeft = true;
      hints.push(hint);
    }
    return hints;
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const beside = await this.besideOf(document);
    if (!beside) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses: vscode.CodeLens[] = [];
    for (const part of beside.parts) {
      const briefs = await this.briefsOf(part.status);
      const group = part.record.group;
      const which = group ? vscode.l10n.t('part {0}/{1}: ', group.part, group.parts) : '';
      const counts = outcomeSummary({ ...briefs.counts, processing: 0 }, 'symbols');
      const partial = part.status.complete ? '' : vscode.l10n.t(' ({0} of {1} results here)', formatCount(part.status.lines), formatCount(part.status.total));
      const batchId = part.record.batchId;
      lenses.push(new vscode.CodeLens(top, { ...commandOf(CommandIds.openResults, vscode.l10n.t('$(checklist) {0}{1}{2}', which, counts, partial), batchId), tooltip: vscode.l10n.t('How the requests of {0} ended (local copy)', batchId) }));
      lenses.push(new vscode.CodeLens(top, commandOf(CommandIds.openResults, vscode.l10n.t('open results'), batchId)));
      if (briefs.counts.errored + briefs.counts.expired > 0) lenses.push(new vscode.CodeLens(top, commandOf(CommandIds.retryFailed, vscode.l10n.t('retry failed'), batchId)));
    }
    if (beside.edited) {
      lenses.push(new vscode.CodeLens(top, { ...commandOf(CommandIds.openResults, vscode.l10n.t('$(warning) edited since submission: answers not shown beside requests'), beside.parts[0].record.batchId), tooltip: this.editedNote(beside) }));
    }
    return lenses;
  }
}

/**
 * Registers the answers beside batch files once a file submitted from this machine is open (at
 * the start, opened later, or submitted while open): a window that never has one registers
 * nothing and loads nothing.
 */
export class LazyAnswersBeside extends DisposableObject {
  private provider: AnswersBeside | undefined;

  constructor(
    private readonly registry: SubmissionRegistry,
    private readonly results: ResultsService,
  ) {
    super();
    if (!this.ensureIfSubmitted(vscode.workspace.textDocuments)) {
      const waiting = new DisposableObject();
      this.register(waiting);
      const check = (documents: readonly vscode.TextDocument[]) => {
        if (this.ensureIfSubmitted(documents)) waiting.dispose();
      };
      waiting.register(vscode.workspace.onDidOpenTextDocument((document) => check([document])));
      // A file open while it is submitted.
      waiting.register(registry.onDidChange(() => check(vscode.workspace.textDocuments)));
    }
  }

  private ensureIfSubmitted(documents: readonly vscode.TextDocument[]): boolean {
    const files = documents.filter((d) => d.uri.scheme === 'file').map((d) => d.uri.fsPath);
    if (files.length === 0) return false;
    const submitted = this.registry.list().some((r) => r.sourcePath !== undefined && files.some((f) => samePath(f, r.sourcePath!)));
    if (submitted) this.ensure();
    return submitted;
  }

  /** The providers, registered now if they were not. */
  ensure(): AnswersBeside {
    if (!this.provider) {
      const provider = (this.provider = this.register(new AnswersBeside(this.registry, this.results)));
      const selector: vscode.DocumentSelector = { scheme: 'file' };
      provider.register(vscode.languages.registerHoverProvider(selector, provider));
      provider.register(vscode.languages.registerInlayHintsProvider(selector, provider));
      provider.register(vscode.languages.registerCodeLensProvider(selector, provider));
    }
    return this.provider;
  }
}

import * as vscode from 'vscode';
import { mergePrices, type PriceTable } from '../../domain/cost';
import type { PollSettings } from '../../domain/pollSchedule';
import { usableGlobs } from '../../domain/jsonl/batchFileRule';
import { checkBoolean, checkNumber, checkString, NUMBER_SETTINGS, ProblemLog, userValue, type Checked } from '../../domain/settingsRules';

type NumberKey = keyof typeof NUMBER_SETTINGS;

const SECTION = 'claudeBatches';
/** Until activation hands over the log, problems wait unreported (and are reported on the next read). */
let problems: ProblemLog | undefined;

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

function use<T>(key: string, checked: Checked<T>): T {
  problems?.report(key, checked.problem);
  return checked.value;
}

/** A setting any level may set (user, workspace, folder), checked. */
function number(key: NumberKey): number {
  return use(key, checkNumber(key, config().get<unknown>(key), NUMBER_SETTINGS[key]));
}

/** A setting only the user decides: a workspace's value is ignored, and that is logged. */
function userSetting(key: string, why: string): unknown {
  return use(`${key}#scope`, userValue(key, config().inspect<unknown>(key), why));
}

/** A list of globs; anything else in it is left out, and that is logged. */
function globList(key: string): string[] {
  const raw = config().get<unknown>(key);
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  const strings = list.filter((g): g is string => typeof g === 'string' && g.trim() !== '');
  const dropped = list.length - strings.length;
  const { globs, ignored } = usableGlobs(strings);
  const problem =
    dropped > 0 || (!Array.isArray(raw) && raw !== undefined && raw !== null)
      ? vscode.l10n.t('{0}.{1} should be a list of glob strings; {2} value(s) that are not were ignored.', SECTION, key, dropped)
      : ignored.length > 0
        ? vscode.l10n.t('{0}.{1}: {2} pattern(s) ignored ({3}{4}).', SECTION, key, ignored.length, ignored[0], ignored.length > 1 ? ', …' : '')
        : undefined;
  problems?.report(key, problem);
  return globs;
}

const MEMORY = vscode.l10n.t('how much memory a results document takes');

/**
 * Typed, checked reads of the `claudeBatches.*` settings: the only reader of configuration.
 * Whatever a settings file holds, each read returns a value of the right type within bounds;
 * a value that was ignored or clamped is logged once (see settingsRules).
 */
export const Settings = {
  section: SECTION,

  /** Where problems with settings are reported: the extension's log. */
  reportTo(write: (line: string) => void): vscode.Disposable {
    problems = new ProblemLog(write);
    return { dispose: () => (problems = undefined) };
  },

  /** Empty string: the SDK's default (api.anthropic.com, or ANTHROPIC_BASE_URL). */
  baseUrl(): string {
    // Machine-scoped and restricted in untrusted workspaces (package.json), and read from the
    // user's level only: a workspace cannot redirect the key to its own server.
    return use('baseUrl', checkString('baseUrl', userSetting('baseUrl', vscode.l10n.t('where your API key is sent')), '')).trim();
  },

  poll(): PollSettings {
    return { intervalSeconds: number('pollIntervalSeconds'), maxIntervalSeconds: number('maxPollIntervalSeconds') };
  },

  /** Whether Compare Results shows each answer's model and tokens too. */
  compareWithUsage(): boolean {
    return use('compare.withUsage', checkBoolean('compare.withUsage', config().get<unknown>('compare.withUsage'), false));
  },

  notifyOnEnd(): boolean {
    return use('notifyOnEnd', checkBoolean('notifyOnEnd', config().get<unknown>('notifyOnEnd'), true));
  },

  /**
   * The price table with the user's overrides (claudeBatches.prices) merged in. User settings
   * only: what a confirmation says a batch costs is never a workspace's to decide.
   */
  prices(): PriceTable {
    const merged = mergePrices(userSetting('prices', vscode.l10n.t('what a batch is estimated to cost')) ?? {});
    const problem = merged.problems.length ? vscode.l10n.t('{0}.prices: {1}. Those overrides are ignored.', SECTION, merged.problems.join('; ')) : undefined;
    problems?.report('prices', problem);
    return merged.table;
  },

  /** Entries shown per section in a results document (user settings only: memory). */
  resultsEntriesPerSection(): number {
    const key = 'results.entriesPerSection';
    return use(key, checkNumber(key, userSetting(key, MEMORY), NUMBER_SETTINGS[key]));
  },

  /** Entries shown when one section is opened on its own (user settings only: memory). */
  resultsSectionEntries(): number {
    const key = 'results.sectionEntries';
    return use(key, checkNumber(key, userSetting(key, MEMORY), NUMBER_SETTINGS[key]));
  },

  /**
   * Globs for files that always (include) or never (exclude) count as batch files, whatever their
   * content. Any level may set them: a workspace that keeps batch files says so; they decide only
   * where problems and the Submit lens show, and submitting still asks first.
   */
  batchFiles(): { include: string[]; exclude: string[] } {
    return { include: globList('batchFiles.include'), exclude: globList('batchFiles.exclude') };
  },

  pageSize(): number {
    return number('pageSize');
  },
};

// Answers the extension's dialogs in extension-host tests, and fails fast on any prompt a test did
// not expect. Notifications (info / warn / error) need no answer and are recorded for assertions.
import type * as vscode from 'vscode';
import type { Ui } from '../../src/vscode/core/ui';

type PromptKind = 'confirm' | 'pick' | 'pickMany' | 'input' | 'saveDialog' | 'info' | 'warn' | 'error';

export interface Shown {
  kind: PromptKind;
  message: string;
  detail?: string;
  actions?: string[];
}

interface Expectation {
  kind: PromptKind;
  match: RegExp;
  answer: unknown;
}

export class ScriptedUi implements Ui {
  readonly shown: Shown[] = [];
  private readonly expected: Expectation[] = [];
  readonly unexpected: Shown[] = [];

  /** The next prompt of this kind whose message matches gets this answer (an action, text, a Uri…). */
  answer(kind: PromptKind, match: RegExp, answer: unknown): this {
    this.expected.push({ kind, match, answer });
    return this;
  }

  /** Asserts every expected prompt was shown and nothing unexpected was. */
  verify(): void {
    if (this.unexpected.length) throw new Error(`Unexpected prompts: ${JSON.stringify(this.unexpected)}`);
    if (this.expected.length) throw new Error(`Prompts never shown: ${this.expected.map((e) => `${e.kind} ${e.match}`).join(', ')}`);
  }

  messages(kind?: PromptKind): string[] {
    return this.shown.filter((s) => !kind || s.kind === kind).map((s) => s.message);
  }

  private take(shown: Shown, mustAnswer: boolean): unknown {
    this.shown.push(shown);
    const text = `${shown.message}\n${shown.detail ?? ''}`;
    const index = this.expected.findIndex((e) => e.kind === shown.kind && e.match.test(text));
    if (index < 0) {
      if (mustAnswer) this.unexpected.push(shown);
      return undefined;
    }
    return this.expected.splice(index, 1)[0].answer;
  }

  info(message: string, ...actions: string[]): Thenable<string | undefined> {
    return Promise.resolve(this.take({ kind: 'info', message, actions }, false) as string | undefined);
  }
  warn(message: string, ...actions: string[]): Thenable<string | undefined> {
    return Promise.resolve(this.take({ kind: 'warn', message, actions }, false) as string | undefined);
  }
  error(message: string, ...actions: string[]): Thenable<string | undefined> {
    return Promise.resolve(this.take({ kind: 'error', message, actions }, false) as string | undefined);
  }
  confirm(message: string, detail: string, ...actions: string[]): Thenable<string | undefined> {
    return Promise.resolve(this.take({ kind: 'confirm', message, detail, actions }, true) as string | undefined);
  }
  pick<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Thenable<T | undefined> {
    const answer = this.take({ kind: 'pick', message: options.placeHolder ?? '', actions: items.map((i) => i.label) }, true);
    if (typeof answer === 'function') return Promise.resolve((answer as (items: T[]) => T | undefined)(items));
    return Promise.resolve(items.find((i) => i.label === answer || i.detail === answer));
  }
  /** Answered with a function of the items (returning the chosen ones), or undefined (dismissed). */
  pickMany<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Thenable<T[] | undefined> {
    const answer = this.take({ kind: 'pickMany', message: options.placeHolder ?? '', actions: items.map((i) => i.label) }, true);
    return Promise.resolve(typeof answer === 'function' ? (answer as (items: T[]) => T[] | undefined)(items) : undefined);
  }
  input(options: vscode.InputBoxOptions): Thenable<string | undefined> {
    return Promise.resolve(this.take({ kind: 'input', message: options.prompt ?? options.title ?? '' }, true) as string | undefined);
  }
  saveDialog(options: vscode.SaveDialogOptions): Thenable<vscode.Uri | undefined> {
    return Promise.resolve(this.take({ kind: 'saveDialog', message: options.title ?? '' }, true) as vscode.Uri | undefined);
  }
}

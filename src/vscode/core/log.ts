import * as vscode from 'vscode';
import { redactKnownSecrets, rememberSecret } from '../../api';
import { DisposableObject } from '../../domain/lifecycle';

/**
 * The extension's log: one `LogOutputChannel` ("Claude Batches" in the Output panel). Secrets
 * never reach it: every line passes through `redact`, which removes anything that looks like an
 * Anthropic key and every key remembered so far (the client factory remembers each key it is
 * given; `addSecret` adds others), the same redaction as every message shown.
 */
export class Log extends DisposableObject {
  private readonly channel = this.register(vscode.window.createOutputChannel('Claude Batches', { log: true }));

  addSecret(secret: string | undefined): void {
    rememberSecret(secret);
  }

  info(message: string): void {
    this.channel.info(this.redact(message));
  }
  warn(message: string): void {
    this.channel.warn(this.redact(message));
  }
  error(message: string, err?: unknown): void {
    const detail = err instanceof Error && err.stack ? `\n${err.stack}` : '';
    this.channel.error(this.redact(message + detail));
  }
  debug(message: string): void {
    this.channel.debug(this.redact(message));
  }
  show(): void {
    this.channel.show(true);
  }

  redact(text: string): string {
    return redactKnownSecrets(text);
  }
}

import * as vscode from 'vscode';

/**
 * The extension's log: one `LogOutputChannel` ("Claude Batches" in the Output panel). Secrets
 * never reach it: every line passes through `redact`, which removes anything that looks like an
 * Anthropic key, and the exact keys in use are registered with `addSecret`.
 */
export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Claude Batches', { log: true });
  private readonly secrets = new Set<string>();

  addSecret(secret: string | undefined): void {
    if (secret && secret.length >= 8) this.secrets.add(secret);
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
    let out = text.replace(/sk-ant-[A-Za-z0-9_-]+/g, 'sk-ant-…');
    for (const secret of this.secrets) out = out.split(secret).join('[redacted]');
    return out;
  }

  dispose(): void {
    this.channel.dispose();
  }
}

// Runs an extension-host test module inside a real VS Code (code-server) driven by headless
// Chromium, and returns the exit code the workbench reports for it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { copyFixture, ensureCodeServer, launchChromium, openWorkbench, repoRoot, startCodeServer } from './codeServer';
import { HOST_OUTPUT_MARKER } from './marker';

export interface HostSuiteOptions {
  /** Used for the log file name. */
  name: string;
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  env?: Record<string, string | undefined>;
  /** Installed with `code-server --install-extension` before the server starts. */
  installVsix?: string;
  timeoutMinutes?: number;
  /** The display language, e.g. `de` with a language pack for it installed. */
  locale?: string;
  /** Runs after the extensions are installed, before the server starts. */
  beforeStart?: (dirs: { userDataDir: string; extensionsDir: string }) => void;
}

export async function runHostSuite(options: HostSuiteOptions): Promise<number> {
  const install = ensureCodeServer();
  const workspace = copyFixture('workspace');
  const verbose = !!process.env.CLAUDE_BATCHES_VERBOSE;
  const logFile = path.join(repoRoot, 'test-results', `${options.name}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(logFile, '');

  const server = await startCodeServer(install, {
    workspace,
    installVsix: options.installVsix,
    locale: options.locale,
    beforeStart: options.beforeStart,
    env: { ANTHROPIC_BASE_URL: undefined, CLAUDE_BATCHES_TEST_WORKSPACE: workspace, CLAUDE_BATCHES_REPO: repoRoot, ...options.env },
    log: (line) => {
      fs.appendFileSync(logFile, `${line}\n`);
      if (verbose) console.log(line);
    },
  });
  const browser = await launchChromium();
  try {
    const exitCode = new Promise<number>((resolve) => {
      void openWorkbench(browser, server, {
        extensionDevelopmentPath: options.extensionDevelopmentPath,
        extensionTestsPath: options.extensionTestsPath,
        locale: options.locale,
        onLog: (type, args) => {
          const line = format(...(args as unknown[]));
          fs.appendFileSync(logFile, `[${type}] ${line}\n`);
          // The workbench's own log comes through here too; print only the suite's reporter.
          if (line.startsWith(HOST_OUTPUT_MARKER)) console.log(line.slice(HOST_OUTPUT_MARKER.length));
          else if (verbose) console.log(`[${type}] ${line}`);
        },
        onExit: resolve,
      }).catch((err) => {
        console.error(err);
        resolve(1);
      });
    });
    const minutes = options.timeoutMinutes ?? 20;
    const timeout = new Promise<number>((resolve) =>
      setTimeout(() => {
        console.error(`The extension-host tests did not finish within ${minutes} minutes.`);
        resolve(1);
      }, minutes * 60_000).unref(),
    );
    const code = await Promise.race([exitCode, timeout]);
    if (code !== 0) console.error(`The workbench's full log is in ${path.relative(process.cwd(), logFile)}.`);
    return code;
  } finally {
    await browser.close();
    await server.stop();
  }
}

export function exitWith(promise: Promise<number>): void {
  promise.then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exit(1);
    },
  );
}

/** A key the extension-host suite knows; it never leaves this machine (the suite only talks to loopback). */
export const HOST_TEST_KEY = 'sk-ant-host-suite-0000000000';

// extensionTestsPath of the translated suite: out/test/l10nHost/*.test.js, in a VS Code whose
// display language is not English (see test/harness/runL10nTests.ts).
import { runHostMocha } from '../harness/hostMocha';

export function run(): Promise<void> {
  return runHostMocha(__dirname);
}

// extensionTestsPath of the extension-host suite: every out/test/suite/**/*.test.js.
import { runHostMocha } from '../harness/hostMocha';

export function run(): Promise<void> {
  return runHostMocha(__dirname);
}

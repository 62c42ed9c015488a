// extensionTestsPath of the packaged-extension check: every out/test/vsix/*.test.js.
import { runHostMocha } from '../harness/hostMocha';

export function run(): Promise<void> {
  return runHostMocha(__dirname);
}

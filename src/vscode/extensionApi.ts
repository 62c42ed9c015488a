import type { ClientProvider } from './clientProvider';

/**
 * What `activate()` returns. Not a public API: the extension-host tests use it to reach the
 * services the running extension built, instead of building second copies.
 */
export interface ExtensionApi {
  readonly clients: ClientProvider;
}

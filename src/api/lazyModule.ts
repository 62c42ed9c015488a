// A module loaded the first time it is needed, then kept. The callers pass a function holding a
// literal `require('./…')`: the build sees that require and, for the SDK and the results code,
// turns it into a require of their sibling bundle (see esbuild.mjs), so activation parses neither.

/** `load` runs on the first call and its module is kept; a load that throws is tried again on the next call. */
export function lazyModule<T>(load: () => T): () => T {
  let loaded: { module: T } | undefined;
  return () => (loaded ??= { module: load() }).module;
}

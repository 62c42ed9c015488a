/** The URI scheme of results documents (read-only, virtual). Alone here: activation registers it and loads nothing else of the results. */
export const RESULTS_SCHEME = 'claude-batches';

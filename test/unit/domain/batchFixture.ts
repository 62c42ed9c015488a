import type { MessageBatch } from '../../../src/api';

export const T0 = Date.parse('2026-11-01T10:00:00Z');

/** An ended batch created at T0 with its results at the API, changed by `over`; counts default to 0. */
export const batch = (over: Partial<MessageBatch> & { counts?: Partial<MessageBatch['request_counts']> } = {}): MessageBatch => ({
  id: 'msgbatch_01abc',
  type: 'message_batch',
  processing_status: 'ended',
  created_at: new Date(T0).toISOString(),
  expires_at: new Date(T0 + 24 * 3600_000).toISOString(),
  ended_at: new Date(T0 + 3600_000).toISOString(),
  cancel_initiated_at: null,
  archived_at: null,
  results_url: 'https://api.anthropic.com/v1/messages/batches/msgbatch_01abc/results',
  ...over,
  request_counts: { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0, ...over.counts },
});

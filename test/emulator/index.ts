// The Batches API emulator: a local, deterministic stand-in for Anthropic's Message Batches API,
// spoken to by the real SDK over loopback HTTP. See README.md beside this file.

export type {
  BatchRequestInput,
  CreateBatchOptions,
  Emulator,
  EmulatorOptions,
  Fault,
  ForcedOutcome,
  LoggedRequest,
  MessageBatchJson,
  ProcessingStatus,
  RequestCountsJson,
  Route,
  Timing,
} from './types';
export { startEmulator, matchRoute, DEFAULT_API_KEY, DEFAULT_SEED } from './server';
export { seedSampleHistory, type SampleHistory } from './sampleHistory';
export { MARKERS, REPLY_PREFIX } from './outcomes';
export { DAY_MS, HOUR_MS, EXPIRY_MS, RETENTION_MS } from './lifecycle';
export { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_REQUESTS } from './validation';

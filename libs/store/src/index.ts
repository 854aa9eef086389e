// @foxhound/store: Foxhound's persistence. PostgreSQL schema and migrations for investigations, their
// event streams, proposals and decisions, API keys and the hash-chained audit trail; PGlite in-process by
// default, a real PostgreSQL through pg when DATABASE_URL is set; the same SQL on both.
export { StoreOptionsSchema, type StoreOptions } from './config';
export {
  type Database,
  type Engine,
  type ListenHandlers,
  type Listener,
  type Queryable,
  type QueryResult,
  type Row,
} from './db/database';
export {
  EVENTS_CHANNEL,
  parseEventsPayload,
  type EventFeedHandlers,
  type StoredEventsNotice,
} from './event-feed';
export { StoreConflictError, StoreError, StoreInputError, StoreUnavailableError } from './errors';
export { migrate, MIGRATIONS, type MigrationResult } from './migrations/migrate';
export { type Migration } from './migrations/migration';
export {
  API_KEY_PATTERN,
  generateApiKey,
  type ApiKeyRepository,
  type ImportApiKey,
  type NewApiKey,
} from './repositories/api-keys';
export { type AuditInput, type AuditRepository } from './repositories/audit';
export { canonicalJson, GENESIS_HASH, hashEntry } from './repositories/audit-chain';
export { type LimitsRepository, type RateDecision, type SlotResult } from './repositories/limits';
export {
  SWEEP_ERROR_CODE,
  type LivenessRepository,
  type SweepRequest,
  type SweptInvestigation,
} from './repositories/liveness';
export { EventWriter, type EventWriterOptions } from './repositories/event-writer';
export { type EventRepository } from './repositories/events';
export {
  type CreatedInvestigation,
  type InvestigationOutcome,
  type InvestigationRepository,
  type NewInvestigation,
} from './repositories/investigations';
export {
  type ProposalListQuery,
  type ProposalRepository,
  type RecordProposal,
  type TransitionRequest,
  type TransitionResult,
} from './repositories/proposals';
export { createStore, type Repositories, type Store, type StoreHooks } from './store';

// What the gateway needs from persistence, declared by the consumer (libs/store implements it; tests
// may pass the real store on PGlite). Keeping it narrow documents exactly which queries the API runs.
import {
  type AuditKind,
  type AuditOutcome,
  type GenericAlert,
  type InvestigationDetail,
  type InvestigationListQuery,
  type InvestigationPage,
  type InvestigationReport,
  type InvestigationSource,
  type Proposal,
  type ProposalState,
  type Role,
  type StoredProposal,
  type StoredEvent,
  type StreamEvent,
  type Usage,
} from '@foxhound/contracts';

export interface NewInvestigationInput {
  threadId: string;
  source: InvestigationSource;
  prompt: string;
  title?: string;
  principal?: string;
  alert?: GenericAlert;
  alertFingerprint?: string;
}

export interface InvestigationOutcomeInput {
  status: 'completed' | 'failed' | 'interrupted';
  report?: InvestigationReport;
  resultText?: string;
  usage?: Usage;
  error?: { message: string; code?: string };
  provider?: string;
  model?: string;
  durationMs?: number;
}

export interface InvestigationsPort {
  create(input: NewInvestigationInput): Promise<{ investigation: InvestigationDetail; created: boolean }>;
  get(id: string): Promise<InvestigationDetail | null>;
  list(query: InvestigationListQuery): Promise<InvestigationPage>;
  setSandbox(id: string, sandboxId: string): Promise<boolean>;
  finish(id: string, outcome: InvestigationOutcomeInput): Promise<boolean>;
}

export interface EventWriterPort {
  append(event: StreamEvent): number;
  /** Events appended and not yet stored. */
  readonly backlog: number;
  /** Resolves once fewer than `limit` events wait for the store; rejects if the writer gave up. */
  waitForRoom(limit: number): Promise<void>;
  /** Stores the tail, retrying an unavailable store up to its deadline. */
  close(): Promise<void>;
}

export interface EventsPort {
  writer(investigationId: string): Promise<EventWriterPort>;
  list(investigationId: string, afterSeq: number): Promise<StoredEvent[]>;
}

export interface AuditInput {
  kind: AuditKind;
  actor: string;
  actorRole?: Role;
  action: string;
  outcome: AuditOutcome;
  investigationId?: string;
  target?: string;
  requestId?: string;
  details?: Record<string, unknown>;
  /** Appended once however often a retried batch carries it. */
  dedupKey?: string;
}

export interface AuditPort {
  append(entry: AuditInput): Promise<unknown>;
  /** Appends in order in one transaction (tool calls are audited in batches to spare the store). */
  appendMany(entries: readonly AuditInput[]): Promise<unknown>;
}

export interface ApiKeysPort {
  verify(presented: string): Promise<{ id: string; role: Role } | null>;
}

export interface ProposalsPort {
  record(input: {
    investigationId: string;
    proposal: Proposal;
    actor: string;
    expiresAt?: string;
    requestId?: string;
  }): Promise<StoredProposal>;
  get(id: string): Promise<StoredProposal | null>;
  list(query: { investigationId?: string; state?: ProposalState; limit?: number }): Promise<StoredProposal[]>;
  transition(request: {
    id: string;
    from: ProposalState[];
    to: ProposalState;
    actor: string;
    actorRole?: Role;
    reason?: string;
    requestId?: string;
  }): Promise<{ won: boolean; proposal: StoredProposal | null }>;
  expireDue(actor?: string): Promise<string[]>;
}

// Everything route handlers use, built once in server/app.ts.
import {
  type AuditListQuery,
  type AuditPage,
  type AuditVerifyResult,
  type ApiKeyInfo,
  type CreatedApiKey,
  type CreateApiKeyRequest,
} from '@foxhound/contracts';
import { type DrainController, type Logger } from '@foxhound/service-kit';
import { type InvestigationRunner } from '../investigations/runner';
import { type LiveHub } from '../investigations/live-hub';
import { type AuditPort, type EventsPort, type InvestigationsPort } from '../investigations/ports';
import { type StoreTail } from '../sse/store-tail';

export interface KeysAdminPort {
  create(input: CreateApiKeyRequest & { createdBy?: string }): Promise<CreatedApiKey>;
  list(options?: { includeRevoked?: boolean }): Promise<ApiKeyInfo[]>;
  revoke(id: string, actor: string): Promise<boolean>;
}

export interface AuditAdminPort extends AuditPort {
  list(query: AuditListQuery): Promise<AuditPage>;
  verify(): Promise<AuditVerifyResult>;
}

export interface RouteDeps {
  runner: InvestigationRunner;
  hub: LiveHub;
  investigations: InvestigationsPort;
  events: EventsPort;
  audit: AuditAdminPort;
  keys: KeysAdminPort;
  logger: Logger;
  drain: DrainController;
  heartbeatMs: number;
  onClientDisconnect: 'continue' | 'interrupt';
  /** Wakes tails of investigations running in another replica when the store has news for them. */
  tail?: StoreTail;
  /** How often such a tail checks the investigation's status without a notice (see sse/store-tail.ts). */
  replayCheckMs: number;
  /** Client streams open, for the metrics. */
  liveStreams?: { inc(): void; dec(): void };
}

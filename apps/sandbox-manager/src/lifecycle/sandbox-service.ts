// What every acquisition goes through, whatever the backend: one flight per thread, reuse with TTL
// renewal, owner checks, limits with reservations for in-flight creates, metrics and a log line per
// lifecycle step. The backend (backends/backend.ts) does the placing, starting and stopping.
import { type AcquireSandboxRequest, type PoolStatus, type SandboxDescriptor } from '@foxhound/contracts';
import {
  HttpError,
  NotAllowedError,
  NotFoundError,
  RateLimitedError,
  type Logger,
} from '@foxhound/service-kit';
import { type SandboxBackend, type SandboxView } from '../backends/backend';
import { type ManagerMetrics } from '../observability/metrics';
import { expiryFor, parseExpiry, renewedExpiry } from './expiry';
import { SingleFlight } from './single-flight';

/** The owner of requests that name none (an unauthenticated local demo). */
export const DEFAULT_OWNER = 'anonymous';

/** Retry-After on 429: roughly how long until a sandbox may free up. */
const LIMIT_RETRY_AFTER_SECONDS = 30;

export interface SandboxServiceOptions {
  backend: SandboxBackend;
  logger: Logger;
  metrics: ManagerMetrics;
  defaultTtlSeconds: number;
  maxTotal: number;
  maxPerOwner: number;
  now?: () => Date;
}

export class SandboxService {
  private readonly flights = new SingleFlight<SandboxDescriptor>();
  /** Creates in flight, counted against the limits until they finish. */
  private readonly reserved = new Map<string, number>();
  private reservedTotal = 0;
  private readonly now: () => Date;

  constructor(private readonly options: SandboxServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Returns the thread's live sandbox (renewing its TTL) or acquires a new one. */
  async acquire(request: AcquireSandboxRequest): Promise<SandboxDescriptor> {
    const owner = request.owner ?? DEFAULT_OWNER;
    const { value } = await this.flights.run(request.threadId, () => this.acquireOnce(request, owner));
    return value;
  }

  async get(sandboxId: string): Promise<SandboxDescriptor> {
    const view = await this.options.backend.get(sandboxId);
    if (view === undefined) throw new NotFoundError(`Sandbox ${sandboxId} not found.`);
    return { ...view, reused: true };
  }

  async list(threadId?: string): Promise<SandboxDescriptor[]> {
    if (threadId !== undefined) {
      const view = await this.options.backend.findByThread(threadId);
      return view === undefined ? [] : [{ ...view, reused: true }];
    }
    return (await this.options.backend.list()).map((view) => ({ ...view, reused: true }));
  }

  async release(sandboxId: string): Promise<void> {
    const released = await this.options.backend.release(sandboxId, 'deleted');
    if (!released) throw new NotFoundError(`Sandbox ${sandboxId} not found.`);
    this.options.logger.info({ sandboxId }, 'sandbox deleted on request');
  }

  pool(): Promise<PoolStatus> {
    return this.options.backend.pool();
  }

  private async acquireOnce(request: AcquireSandboxRequest, owner: string): Promise<SandboxDescriptor> {
    const { backend, metrics } = this.options;
    const { threadId } = request;
    const log = this.options.logger.child({ threadId });
    const stopTimer = metrics.acquisitionDuration.startTimer({ backend: backend.name });
    try {
      const existing = await backend.findByThread(threadId);
      if (existing !== undefined) {
        const view = await this.reuse(existing, request, owner);
        stopTimer({ start: 'none' });
        metrics.acquisitions.inc({ backend: backend.name, outcome: 'reused', start: 'none' });
        log.info({ sandboxId: view.sandboxId, expiresAt: view.expiresAt }, 'sandbox reused');
        return { ...view, reused: true };
      }
      const created = await this.createWithinLimits(request, owner, log);
      const start = created.view.warm === true ? 'warm' : 'cold';
      stopTimer({ start: created.reused ? 'none' : start });
      metrics.acquisitions.inc({
        backend: backend.name,
        outcome: created.reused ? 'reused' : 'created',
        start: created.reused ? 'none' : start,
      });
      log.info(
        {
          sandboxId: created.view.sandboxId,
          start,
          reused: created.reused,
          expiresAt: created.view.expiresAt,
        },
        created.reused ? 'sandbox found (created elsewhere)' : `sandbox acquired (${start})`,
      );
      return { ...created.view, reused: created.reused };
    } catch (err) {
      const limited = err instanceof RateLimitedError;
      metrics.acquisitions.inc({
        backend: backend.name,
        outcome: limited ? 'limited' : 'failed',
        start: 'none',
      });
      if (err instanceof HttpError && err.status < 500)
        log.info({ reason: err.message }, 'sandbox request refused');
      else log.error({ err }, 'sandbox acquisition failed');
      throw err;
    }
  }

  private async reuse(
    existing: SandboxView,
    request: AcquireSandboxRequest,
    owner: string,
  ): Promise<SandboxView> {
    if (existing.owner !== undefined && existing.owner !== owner) {
      throw new NotAllowedError(`Thread ${request.threadId} belongs to another owner.`);
    }
    const ttlSeconds = request.ttlSeconds ?? existing.ttlSeconds ?? this.options.defaultTtlSeconds;
    const next = renewedExpiry({ current: parseExpiry(existing.expiresAt), now: this.now(), ttlSeconds });
    return next === undefined ? existing : this.options.backend.renew(existing, next);
  }

  private async createWithinLimits(request: AcquireSandboxRequest, owner: string, log: Logger) {
    const { backend, maxTotal, maxPerOwner } = this.options;
    const total = backend.count() + this.reservedTotal;
    if (total >= maxTotal) {
      throw new RateLimitedError(
        `Sandbox limit reached: ${total} of ${maxTotal} sandboxes are in use (SANDBOX_MAX_TOTAL). ` +
          'Delete idle sandboxes or wait for one to expire.',
        LIMIT_RETRY_AFTER_SECONDS,
      );
    }
    const ownerCount = backend.count(owner) + (this.reserved.get(owner) ?? 0);
    if (ownerCount >= maxPerOwner) {
      throw new RateLimitedError(
        `Sandbox limit reached for owner ${owner}: ${ownerCount} of ${maxPerOwner} sandboxes ` +
          '(SANDBOX_MAX_PER_OWNER). Delete one of your sandboxes or wait for one to expire.',
        LIMIT_RETRY_AFTER_SECONDS,
      );
    }
    const ttlSeconds = request.ttlSeconds ?? this.options.defaultTtlSeconds;
    this.reserve(owner, 1);
    try {
      log.debug({ owner, ttlSeconds }, 'acquiring a new sandbox');
      return await backend.create({
        threadId: request.threadId,
        owner,
        ttlSeconds,
        labels: request.labels ?? {},
        expiresAt: expiryFor(this.now(), ttlSeconds),
      });
    } finally {
      this.reserve(owner, -1);
    }
  }

  private reserve(owner: string, delta: number): void {
    this.reservedTotal += delta;
    const next = (this.reserved.get(owner) ?? 0) + delta;
    if (next === 0) this.reserved.delete(owner);
    else this.reserved.set(owner, next);
  }
}

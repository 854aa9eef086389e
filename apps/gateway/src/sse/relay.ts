// Writes stored events to a client as SSE with their store seq as `id:`, plus heartbeats. Unlike the
// executor's stream writer it enforces nothing about terminal events: the runner guarantees every
// persisted stream ends with exactly one `result` or `error`, and a replay from the middle of a
// finished stream may legitimately contain none.
import { type ServerResponse } from 'node:http';
import { type StoredEvent, type StreamEvent } from '@foxhound/contracts';
import { formatSseComment, formatSseFrame, startEventStream } from '@foxhound/service-kit';

export class SseRelay {
  private readonly heartbeat: NodeJS.Timeout;
  private ended = false;

  constructor(
    private readonly res: ServerResponse,
    heartbeatMs: number,
    headers: Record<string, string> = {},
  ) {
    startEventStream(res, headers);
    this.heartbeat = setInterval(() => this.write(formatSseComment('heartbeat')), heartbeatMs);
    this.heartbeat.unref();
    res.once('close', () => this.end());
  }

  /** True once the client left or the relay ended. */
  get closed(): boolean {
    return this.ended || this.res.destroyed;
  }

  send({ seq, event }: StoredEvent): void {
    this.write(formatSseFrame({ id: String(seq), data: JSON.stringify(event) }));
  }

  /** An event that is not in the store (no `id:`, so a resume does not skip past it). */
  sendUnstored(event: StreamEvent): void {
    this.write(formatSseFrame({ data: JSON.stringify(event) }));
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.heartbeat);
    if (!this.res.writableEnded) this.res.end();
  }

  private write(chunk: string): void {
    if (!this.closed) this.res.write(chunk);
  }
}

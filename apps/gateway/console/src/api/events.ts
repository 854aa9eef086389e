// Follows an investigation's event stream. EventSource cannot send a credential header, so this
// reads the SSE body with fetch, parses frames, and on a dropped connection resumes after the last
// seen id (Last-Event-ID), a bounded number of times, until the turn's terminal event.
import { type StreamEvent } from '@foxhound/contracts';
import { authHeaders } from '../state/session';

export interface StreamedEvent {
  seq: number;
  event: StreamEvent;
}

export interface FollowOptions {
  credential: string;
  afterSeq?: number;
  onEvent(event: StreamedEvent): void;
  /** The stream ended: the turn finished, or it could not be followed (with a reason). */
  onEnd(error?: string): void;
  /** Reconnection attempts after a drop before giving up. */
  maxRetries?: number;
}

/** One frame larger than this is not an event the gateway sends; stop rather than buffer it. */
const MAX_FRAME_CHARS = 2 * 1024 * 1024;
const TERMINAL = new Set(['result', 'error']);

/** Parses complete frames out of `buffer`; returns what is left for the next chunk. */
export function parseFrames(buffer: string, onFrame: (id: string | undefined, data: string) => void): string {
  let boundary: number;
  while ((boundary = buffer.indexOf('\n\n')) !== -1) {
    const frame = buffer.slice(0, boundary);
    buffer = buffer.slice(boundary + 2);
    let id: string | undefined;
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith('id:')) id = line.slice(3).trim();
      else if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
    }
    if (data.length) onFrame(id, data.join('\n'));
  }
  if (buffer.length > MAX_FRAME_CHARS) throw new Error('An event larger than 2 MB was refused.');
  return buffer;
}

/** Starts following; call the returned function to stop. */
export function followInvestigation(id: string, options: FollowOptions): () => void {
  const controller = new AbortController();
  let last = options.afterSeq ?? 0;
  let ended = false;
  const end = (error?: string) => {
    if (ended) return;
    ended = true;
    options.onEnd(error);
  };

  const once = async (): Promise<'terminal' | 'dropped'> => {
    const response = await fetch(`/v1/investigations/${encodeURIComponent(id)}/events`, {
      headers: { ...authHeaders(options.credential), ...(last ? { 'last-event-id': String(last) } : {}) },
      signal: controller.signal,
    });
    if (!response.ok || !response.body) {
      const body = (await response.json().catch(() => undefined)) as { detail?: string } | undefined;
      throw new Error(body?.detail ?? `The event stream answered HTTP ${response.status}.`);
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let terminal = false;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer = parseFrames(buffer + decoder.decode(value, { stream: true }), (frameId, data) => {
        const event = JSON.parse(data) as StreamEvent;
        const seq = Number(frameId);
        if (Number.isSafeInteger(seq) && seq > 0) last = seq;
        options.onEvent({ seq, event });
        if (TERMINAL.has(event.type)) terminal = true;
      });
    }
    return terminal ? 'terminal' : 'dropped';
  };

  void (async () => {
    const maxRetries = options.maxRetries ?? 5;
    for (let attempt = 0; attempt <= maxRetries && !controller.signal.aborted; attempt++) {
      try {
        // A finished investigation's stream ends after its last event; a running one's drop is
        // resumed after `last`, with backoff.
        if ((await once()) === 'terminal' || attempt === maxRetries) return end();
        await new Promise((resolve) => setTimeout(resolve, Math.min(8000, 500 * 2 ** attempt)));
      } catch (err) {
        if (controller.signal.aborted) return end();
        return end(err instanceof Error ? err.message : String(err));
      }
    }
    end();
  })();

  return () => {
    controller.abort();
    end();
  };
}

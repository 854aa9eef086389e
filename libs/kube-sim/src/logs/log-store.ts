// Container logs, current and previous, per namespace/pod/container. A line may start with an
// RFC 3339 timestamp and a space (as `kubectl logs --timestamps` prints it); that timestamp is the
// line's time, kept out of the output unless `timestamps=true` asks for it. Appends notify
// followers (`follow=true`).
import { EventEmitter } from 'node:events';

export interface ContainerLogs {
  current: string;
  previous?: string;
}

const key = (namespace: string, pod: string, container: string) => `${namespace}/${pod}/${container}`;

export class LogStore {
  private readonly logs = new Map<string, ContainerLogs>();
  private readonly events = new EventEmitter();

  constructor() {
    this.events.setMaxListeners(0);
  }

  get(namespace: string, pod: string, container: string): ContainerLogs | undefined {
    return this.logs.get(key(namespace, pod, container));
  }

  set(namespace: string, pod: string, container: string, logs: Partial<ContainerLogs>): void {
    const k = key(namespace, pod, container);
    const existing = this.logs.get(k);
    this.logs.set(k, {
      current: logs.current ?? existing?.current ?? '',
      previous: logs.previous ?? existing?.previous,
    });
  }

  /** Adds text to the current log (a line should end with "\n"). */
  append(namespace: string, pod: string, container: string, text: string): void {
    const k = key(namespace, pod, container);
    const existing = this.logs.get(k) ?? { current: '' };
    this.logs.set(k, { ...existing, current: existing.current + text });
    this.events.emit(k, text);
  }

  /** A container restart: the current log becomes the previous one. */
  restart(namespace: string, pod: string, container: string): void {
    const k = key(namespace, pod, container);
    const existing = this.logs.get(k);
    this.logs.set(k, { current: '', previous: existing?.current });
  }

  deletePod(namespace: string, pod: string): void {
    const prefix = `${namespace}/${pod}/`;
    for (const k of this.logs.keys()) if (k.startsWith(prefix)) this.logs.delete(k);
  }

  /** Calls `listener` with every appended chunk until the returned function is called. */
  follow(namespace: string, pod: string, container: string, listener: (text: string) => void): () => void {
    const k = key(namespace, pod, container);
    this.events.on(k, listener);
    return () => this.events.off(k, listener);
  }
}

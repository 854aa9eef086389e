// LISTEN on PostgreSQL: one dedicated connection outside the pool (a pooled connection would be handed
// to queries and its LISTEN lost). When the connection drops (the server restarted, the network cut
// it, an operator terminated it) it reconnects with capped exponential backoff and reports a resync,
// because notifications sent while it was away are gone and the listener must read the state again.
import { Client } from 'pg';
import { classifyDriverError } from '../errors';
import { CHANNEL_PATTERN, type ListenHandlers, type Listener } from './database';

export interface PgListenerOptions {
  url: string;
  connectTimeoutMs: number;
  /** For error messages: the server without its password. */
  what: string;
  onError: (err: Error, context: string) => void;
  /** First wait before reconnecting; doubles up to `maxRetryDelayMs`. Default 250 ms. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Names the connection in pg_stat_activity. Default `foxhound-listen`. */
  applicationName?: string;
}

export async function listenPostgres(
  options: PgListenerOptions,
  channel: string,
  handlers: ListenHandlers,
): Promise<Listener> {
  if (!CHANNEL_PATTERN.test(channel)) throw new Error(`invalid channel name: ${channel}`);
  const firstDelay = options.retryDelayMs ?? 250;
  const maxDelay = options.maxRetryDelayMs ?? 5_000;
  let closed = false;
  let current: Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let delay = firstDelay;

  const connect = async (): Promise<Client> => {
    const client = new Client({
      connectionString: options.url,
      connectionTimeoutMillis: options.connectTimeoutMs,
      application_name: options.applicationName ?? 'foxhound-listen',
    });
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost) return;
      lost = true;
      if (err) options.onError(err, `listening connection to ${options.what}`);
      client.end().catch(() => undefined);
      if (current === client) current = undefined;
      if (!closed) reconnectLater();
    };
    client.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) handlers.onNotify(message.payload);
    });
    // Listening before connect: an 'error' event without a listener would crash the process. Until
    // LISTEN succeeds, the failure reaches the caller through the rejected promise instead.
    let listening = false;
    client.on('error', (err) => (listening ? onLost(err) : undefined));
    client.on('end', () => (listening ? onLost() : undefined));
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
    } catch (err) {
      lost = true;
      client.end().catch(() => undefined);
      throw classifyDriverError(err, `listen on ${options.what}`);
    }
    listening = true;
    return client;
  };

  const reconnectLater = () => {
    timer = setTimeout(() => {
      connect()
        .then((client) => {
          if (closed) {
            void client.end().catch(() => undefined);
            return;
          }
          current = client;
          delay = firstDelay;
          handlers.onResync();
        })
        .catch((err: unknown) => {
          options.onError(err as Error, `reconnect the listener to ${options.what}`);
          if (!closed) reconnectLater();
        });
    }, delay);
    timer.unref();
    delay = Math.min(delay * 2, maxDelay);
  };

  current = await connect();
  return {
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      await current?.end().catch(() => undefined);
    },
  };
}

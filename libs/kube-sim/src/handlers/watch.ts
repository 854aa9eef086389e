// The watch verb over HTTP: a chunked 200 response carrying one JSON event per line, BOOKMARKs
// when the client allows them, a timeout, and an expired resourceVersion answered the way the
// real server does: 200, one ERROR event holding a 410 Expired Status, end of stream.
import { StatusError } from '../api/status';
import { bookmark, type WatchEvent } from '../store/watch';
import { type KubeObject } from '../types';
import { type HandlerContext } from './context';
import { ListQuerySchema, parseQuery } from './query';
import { watchLine } from './serialize';
import { tableFor, wantsTable } from './table';

/** A client that stops reading gets dropped once this much is queued for it. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export function handleWatch(ctx: HandlerContext): void {
  const { req, res, store, resource } = ctx;
  const q = parseQuery(ListQuerySchema, ctx.query);
  const table = wantsTable(req.headers.accept);
  const pending: string[] = [];
  let started = false;
  let closed = false;

  const line = (type: string, object: KubeObject | object): string => {
    if (table && type !== 'BOOKMARK' && type !== 'ERROR') {
      const o = object as KubeObject;
      return (
        JSON.stringify({
          type,
          object: tableFor(resource, [o], o.metadata.resourceVersion ?? '', ctx.query),
        }) + '\n'
      );
    }
    if (type === 'ERROR') return `{"type":"ERROR","object":${JSON.stringify(object)}}\n`;
    return watchLine(type, object as KubeObject);
  };
  const send = (text: string) => {
    if (closed) return;
    if (!started) {
      pending.push(text);
      return;
    }
    res.write(text);
    if (res.writableLength > MAX_BUFFERED_BYTES) end();
  };
  const begin = () => {
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    started = true;
    for (const p of pending.splice(0)) res.write(p);
  };

  let watch: { stop(): void; readonly resourceVersion: number };
  try {
    watch = store.watch(
      resource,
      {
        namespace: ctx.info.namespace,
        labelSelector: q.labelSelector,
        fieldSelector: q.fieldSelector,
        resourceVersion: q.resourceVersion,
        sendInitialEvents: q.sendInitialEvents,
      },
      (e: WatchEvent) => send(line(e.type, e.object)),
    );
  } catch (err) {
    if (err instanceof StatusError && err.code === 410) {
      begin();
      res.end(line('ERROR', err.toStatus()));
      return;
    }
    throw err;
  }
  begin();

  const timers: NodeJS.Timeout[] = [];
  const seconds = Math.min(q.timeoutSeconds ?? ctx.maxWatchSeconds, ctx.maxWatchSeconds);
  timers.push(setTimeout(() => end(), seconds * 1000));
  if (q.allowWatchBookmarks) {
    timers.push(
      setInterval(
        () => send(line('BOOKMARK', bookmark(resource, watch.resourceVersion))),
        ctx.bookmarkIntervalMs,
      ),
    );
  }
  function end(): void {
    if (closed) return;
    closed = true;
    watch.stop();
    for (const t of timers) clearTimeout(t);
    ctx.streams.delete(end);
    res.end();
  }
  ctx.streams.add(end);
  req.on('close', end);
  res.on('close', end);
}

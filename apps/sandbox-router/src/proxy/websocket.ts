// WebSocket upgrades: the same admission, resolution and address rules as HTTP, then a byte tunnel.
// The handshake (Sec-WebSocket-Key, -Protocol, -Extensions) passes through untouched so the client and
// the sandbox agree on it end to end; the router never parses frames. An upstream that declines the
// upgrade gets its answer relayed. Tunnels end on either side's close or after the idle timeout, and
// count for graceful drain until then.
import http, { type IncomingMessage } from 'node:http';
import { type Socket } from 'node:net';
import { type DrainController, HttpError, InputError } from '@foxhound/service-kit';
import { RouterErrorCode, sendRawError, toHopError, UpstreamHopError } from './errors';
import { type SandboxTarget } from './headers';
import { admit, logFailure, type ProxyContext } from './context';
import { type Upstream } from './resolve';
import { forwardRequestHeaders, forwardResponseHeaders } from './target';

const UNSUPPORTED_UPGRADE = 'Only WebSocket upgrades are supported.';

function headBlock(statusLine: string, headers: readonly string[]): string {
  let head = statusLine;
  for (let i = 0; i < headers.length; i += 2) head += `\r\n${headers[i]}: ${headers[i + 1]}`;
  return `${head}\r\n\r\n`;
}

export function createWebSocketRelay(context: ProxyContext, drain: DrainController | undefined) {
  const tunnels = new Set<Socket>();

  function reject(
    req: IncomingMessage,
    socket: Socket,
    err: HttpError,
    target?: SandboxTarget,
    upstream?: Upstream,
  ) {
    logFailure(context, req, err, target, upstream);
    context.metrics.request(req.method ?? '', err.status, upstream?.source ?? 'none');
    sendRawError(socket, err);
  }

  function tunnel(client: Socket, upstream: Socket, idleTimeoutMs: number): void {
    tunnels.add(client);
    context.metrics.streams.inc({ kind: 'websocket' });
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.setNoDelay(true);
      socket.setTimeout(idleTimeoutMs, closeBoth);
      socket.once('close', closeBoth);
      socket.on('error', closeBoth);
    }
    client.once('close', () => {
      tunnels.delete(client);
      context.metrics.streams.dec({ kind: 'websocket' });
    });
    client.pipe(upstream);
    upstream.pipe(client);
  }

  function connect(
    req: IncomingMessage,
    client: Socket,
    head: Buffer,
    target: SandboxTarget,
    path: string,
    upstream: Upstream,
  ) {
    if (client.destroyed) return;
    let proxyReq: http.ClientRequest;
    try {
      proxyReq = http.request({
        hostname: upstream.hostname,
        port: upstream.port,
        method: 'GET',
        path,
        headers: forwardRequestHeaders(req.headers, {
          hostHeader: upstream.hostHeader,
          remoteAddress: req.socket.remoteAddress,
          upgrade: true,
        }),
        agent: context.agent,
        lookup: context.lookup,
        setHost: false,
      });
    } catch (err) {
      reject(req, client, toHopError(err, target.id), target, upstream);
      return;
    }
    // The client left during the handshake.
    const abandon = () => proxyReq.destroy();
    client.once('close', abandon);
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      clearTimeout(connectTimer);
      client.off('close', abandon);
      if (upstream.source === 'manager') context.locator?.evict(target.id, target.namespace);
      reject(req, client, toHopError(err, target.id), target, upstream);
    };
    const connectTimer = setTimeout(() => {
      const timedOut = new UpstreamHopError(RouterErrorCode.connectTimeout, 'connect timed out');
      proxyReq.destroy(timedOut);
      // A handshake still queued in the agent emits its error only once a socket frees up.
      fail(timedOut);
    }, context.connectTimeoutMs);
    proxyReq.once('socket', (socket: Socket) => {
      const connected = () => {
        clearTimeout(connectTimer);
        proxyReq.setTimeout(target.idleTimeoutMs, () => {
          proxyReq.destroy(
            new UpstreamHopError(RouterErrorCode.idleTimeout, 'no handshake answer within the idle timeout'),
          );
        });
      };
      if (socket.connecting) socket.once('connect', connected);
      else connected();
    });
    proxyReq.on('error', fail);
    proxyReq.once('response', (proxyRes) => {
      // The sandbox declined the upgrade: relay its answer, then close (the body ends with the connection).
      client.off('close', abandon);
      context.metrics.request('GET', proxyRes.statusCode ?? 502, upstream.source);
      const headers = forwardResponseHeaders(proxyRes.rawHeaders);
      client.write(
        headBlock(`HTTP/1.1 ${proxyRes.statusCode} ${proxyRes.statusMessage ?? ''}`, [
          ...headers,
          'Connection',
          'close',
        ]),
      );
      proxyRes.on('error', () => client.destroy());
      proxyRes.pipe(client);
    });
    proxyReq.once('upgrade', (proxyRes, upstreamSocket: Socket, upstreamHead: Buffer) => {
      client.off('close', abandon);
      if (client.destroyed) {
        upstreamSocket.destroy();
        return;
      }
      context.metrics.request('GET', 101, upstream.source);
      client.write(
        headBlock('HTTP/1.1 101 Switching Protocols', forwardResponseHeaders(proxyRes.rawHeaders, true)),
      );
      if (upstreamHead.length > 0) client.write(upstreamHead);
      if (head.length > 0) upstreamSocket.write(head);
      tunnel(client, upstreamSocket, target.idleTimeoutMs);
    });
    proxyReq.end();
  }

  return {
    upgrade(req: IncomingMessage, client: Socket, head: Buffer): void {
      client.on('error', () => client.destroy());
      if (drain !== undefined) client.once('close', drain.track());
      if (req.method !== 'GET' || String(req.headers.upgrade).toLowerCase() !== 'websocket') {
        reject(req, client, new InputError(UNSUPPORTED_UPGRADE));
        return;
      }
      const admitted = admit(context, req);
      if (admitted instanceof HttpError) {
        reject(req, client, admitted);
        return;
      }
      const { target, path } = admitted;
      context.resolve(target).then(
        (upstream) => connect(req, client, head, target, path, upstream),
        (err: unknown) => reject(req, client, toHopError(err, target.id), target),
      );
    },
    /** Ends every open tunnel: the shutdown deadline has passed. */
    closeAll(): void {
      for (const client of tunnels) client.destroy();
    },
  };
}

// Where a log line points: the `host:port` or URL a connection error names (skipping times such as
// `12:30`), and the port a server says it listens on. Used by the log classifier and the service graph.
import { MAX_LINE, MAX_LINES_READ } from './log-limits';

export function stripBrackets(host: string): string {
  return host.startsWith('[') ? host.slice(1, -1) : host;
}

const HOST_PORT =
  /(?:[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s]*@)?|@|\s|"|'|\(|^|=)((?:[a-zA-Z][a-zA-Z0-9-]*(?:\.[a-zA-Z0-9-]+)*)|(?:\d{1,3}(?:\.\d{1,3}){3})):(\d{2,5})\b/g;
const URL_HOST = /https?:\/\/([a-zA-Z0-9.-]+)(?::(\d+))?/;
/** libpq and psycopg name the server apart from its port: `host "db" ... port 5432`, `server at "db" (10.0.0.1), port 5432`. */
const LIBPQ_HOST = /(?:host|server at) "([^"]+)".*?port (\d+)/;

/** The first `host:port` or URL host in a line, skipping times like `12:30`. */
export function findHostPort(line: string): { host?: string; port?: number } {
  const pq = LIBPQ_HOST.exec(line);
  if (pq) return { host: pq[1], port: Number(pq[2]) };
  HOST_PORT.lastIndex = 0;
  for (let m = HOST_PORT.exec(line); m; m = HOST_PORT.exec(line)) {
    const port = Number(m[2]);
    if (port > 0 && port < 65536 && !/^(?:localhost|line|port|at|time)$/i.test(m[1]))
      return { host: m[1], port };
  }
  const url = URL_HOST.exec(line);
  if (url) return { host: url[1], port: url[2] ? Number(url[2]) : undefined };
  return {};
}

const LISTEN =
  /(?:listen(?:ing)?|serving|server (?:started|running)|started (?:server|http|on)|running on|bound to|accepting connections)\b[^\n]{0,60}?(?:port(?:\(s\))?\s*[:=]?\s*(\d{2,5})\b|(?:https?:\/\/)?(?:[\w.-]+|\[[\w:]*\])?:(\d{2,5})\b)/i;

/** The ports the process says it listens on, newest mention first. */
export function listeningPorts(lines: readonly string[]): { port: number; line: string }[] {
  const ports: { port: number; line: string }[] = [];
  const seen = new Set<number>();
  for (let i = lines.length - 1; i >= Math.max(0, lines.length - MAX_LINES_READ); i--) {
    const m = LISTEN.exec(lines[i].length > MAX_LINE ? lines[i].slice(0, MAX_LINE) : lines[i]);
    const port = m ? Number(m[1] ?? m[2]) : 0;
    if (port > 0 && port < 65536 && !seen.has(port)) {
      seen.add(port);
      ports.push({ port, line: lines[i] });
    }
  }
  return ports;
}

// What an error event names, in structured form: hosts and ports, URLs (credentials redacted), DNS
// names that failed to resolve, SQL/DB and cache error codes, HTTP requests, durations, file paths,
// env var and config key names, and the verb/resource of a Kubernetes Forbidden answer.
import { durationToMs, inlineAccess } from './access';
import { MAX_ENTITIES } from './limits';
import { type LogEntities } from './types';

const HOST_PORT =
  /(?:^|[\s"'(=@/[,])((?:[a-zA-Z][a-zA-Z0-9-]*(?:\.[a-zA-Z0-9-]+)*)|(?:\d{1,3}(?:\.\d{1,3}){3})|\[[0-9a-fA-F:]+\]):(\d{2,5})\b/g;
const LIBPQ = /(?:host|server at) "([^"]+)".*?port (\d+)/;
// Phrasings that name a host without a port, each runtime's own (see causes/log-patterns.ts).
const NAMED_HOST =
  /(?:lookup|getaddrinfo (?:ENOTFOUND|EAI_AGAIN)|UnknownHostException:|Could not resolve host:?|could not translate host name|Failed to resolve|host not found in upstream|Unknown host|unknown host|Name does not resolve|No such host is known)[ :("']+([a-zA-Z0-9][a-zA-Z0-9.-]*[a-zA-Z0-9])/g;
const URL =
  /\b(?:https?|grpc|tcp|postgres(?:ql)?|mysql|redis|rediss|mongodb(?:\+srv)?|amqps?|kafka|nats):\/\/[^\s"'<>)\]]+/g;
const DB_CODE =
  /\bSQLSTATE\[?\s?([0-9A-Z]{5})\]?|\b(ORA-\d{5})\b|\bERROR (\d{4}) \(([0-9A-Z]{5})\)|\bcode[=:]\s?'?"?([0-9]{2}[0-9A-Z]{3})\b|\bpsycopg2?\.errors\.(\w+)|^-?(WRONGTYPE|NOAUTH|WRONGPASS|OOM|READONLY|MOVED|LOADING|BUSY|MASTERDOWN|NOREPLICAS|CLUSTERDOWN|MISCONF|NOPERM)\b|\b(ER_[A-Z_]+)\b|\bMongo\w*Error\b/g;
const STATUS_WORDS = /\b(?:status(?: code)?|HTTP(?:\/[\d.]+)?|returned|response code)[\s:=]+([1-5]\d{2})\b/i;
const DURATION =
  /\b(?:took|after|in|latency|elapsed|duration|timeout(?: of)?|exceeded)[\s:=]+(\d+(?:\.\d+)?)\s?(ms|s|µs|us|ns|m)\b/gi;
const FILE =
  /(?:^|[\s'"(=:])(\/(?:etc|var|app|data|tmp|usr|opt|config|conf|mnt|home|run|srv|secrets|certs|workspace|code|src|lib|bin)(?:\/[\w.@+-]+)+)/g;
const ENV_KEY = /\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b/g;
const CONFIG_KEY =
  /(?:placeholder|property|config(?:uration)? key|setting|option|field|parameter|env(?:ironment)? var(?:iable)?)\s+['"`]?([A-Za-z_][\w.-]{1,80})['"`]?/gi;
/** The API server's Forbidden message, also as quoted inside a JSON body a client logs (`\"`). */
export const FORBIDDEN =
  /User \\?"([^"\\]+)\\?" cannot (\w+) resource \\?"([^"\\]+)\\?" in API group \\?"([^"\\]*)\\?"(?: in the namespace \\?"([^"\\]+)\\?")?/;

function push<T>(list: T[], value: T, same: (a: T) => boolean): void {
  if (list.length < MAX_ENTITIES && !list.some(same)) list.push(value);
}

/** user:password@ in a URL becomes user:***@: logs carry credentials, reports must not. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^/:@\s]+):[^@/\s]+@/, '//$1:***@');
}

export function emptyEntities(): LogEntities {
  return { hosts: [], urls: [], dbCodes: [], http: [], durationsMs: [], files: [], configKeys: [] };
}

/** Entities named in one event's text, added to `into` (bounded per kind). */
export function extractEntities(text: string, into: LogEntities = emptyEntities()): LogEntities {
  const t = text.length > 4000 ? text.slice(0, 4000) : text;
  const addHost = (host: string, port?: number) => {
    const h = host.replace(/^\[|\]$/g, '');
    if (/^(?:localhost|line|port|at|time|http|https)$/i.test(h)) return;
    push(into.hosts, port ? { host: h, port } : { host: h }, (x) => x.host === h && x.port === port);
  };
  const pq = LIBPQ.exec(t);
  if (pq) addHost(pq[1], Number(pq[2]));
  for (const m of t.matchAll(URL)) {
    push(into.urls, redactUrl(m[0]), (x) => x === redactUrl(m[0]));
    const u = /:\/\/(?:[^@/\s]*@)?([^:/\s?]+)(?::(\d+))?/.exec(m[0]);
    if (u) addHost(u[1], u[2] ? Number(u[2]) : undefined);
  }
  for (const m of t.matchAll(HOST_PORT)) {
    const port = Number(m[2]);
    if (port > 0 && port < 65536) addHost(m[1], port);
  }
  for (const m of t.matchAll(NAMED_HOST)) addHost(m[1].replace(/\.$/, ''));
  for (const m of t.matchAll(DB_CODE)) {
    const code = m.slice(1).find((g) => g !== undefined) ?? m[0];
    push(into.dbCodes, code, (x) => x === code);
  }
  const access = inlineAccess(t);
  if (access) push(into.http, access, (x) => x.path === access.path && x.status === access.status);
  else {
    const s = STATUS_WORDS.exec(t);
    if (s) push(into.http, { status: Number(s[1]) }, (x) => x.status === Number(s[1]));
  }
  for (const m of t.matchAll(DURATION)) {
    const ms = durationToMs(Number(m[1]), m[2].toLowerCase());
    push(into.durationsMs, ms, (x) => x === ms);
  }
  for (const m of t.matchAll(FILE)) push(into.files, m[1], (x) => x === m[1]);
  for (const m of t.matchAll(ENV_KEY)) {
    // HTTP verbs, SQLSTATE class names and log levels look like keys and are not.
    if (/^(?:HTTP_\d|ER_|SQLSTATE)/.test(m[1])) continue;
    push(into.configKeys, m[1], (x) => x === m[1]);
  }
  for (const m of t.matchAll(CONFIG_KEY)) push(into.configKeys, m[1], (x) => x === m[1]);
  const f = FORBIDDEN.exec(t);
  if (f && !into.forbidden) {
    into.forbidden = { user: f[1], verb: f[2], resource: f[3], group: f[4] };
    if (f[5]) into.forbidden.namespace = f[5];
  }
  return into;
}

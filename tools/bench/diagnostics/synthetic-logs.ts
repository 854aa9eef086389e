// Realistic mixed-format container logs for the diagnostics benchmark: each pod writes in the format
// of one common stack (Go/zap JSON, Node/pino JSON, Spring Boot, Python uvicorn with tracebacks,
// ingress-nginx access logs, klog controllers, logrus logfmt), with request lines, warnings, retries,
// an occasional error and multi-line traces (Java, Python, Go), at about one line every 2 seconds
// ending at capture time. Deterministic: the same pod always gets the same log.

const NOW = Date.parse('2025-10-21T10:00:00Z');
const STACKS = ['go', 'node', 'spring', 'uvicorn', 'nginx', 'klog', 'logfmt'] as const;
type Stack = (typeof STACKS)[number];

/** mulberry32: a small seeded PRNG, so runs are comparable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const PATHS = ['/api/orders', '/api/orders/{id}', '/api/cart', '/api/items', '/healthz', '/api/checkout'];
const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)];
const uuid = (r: () => number) =>
  'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, () => Math.floor(r() * 16).toString(16));

function line(stack: Stack, r: () => number, t: number, upstream: string): string[] {
  const iso = new Date(t).toISOString();
  const path = pick(r, PATHS).replace('{id}', String(Math.floor(r() * 100000)));
  const ms = Math.round(5 + r() * r() * 400);
  const roll = r();
  const status = roll < 0.01 ? 503 : roll < 0.03 ? 404 : 200;
  switch (stack) {
    case 'go':
      if (roll > 0.97)
        return [
          `{"level":"warn","ts":${t / 1000},"caller":"client/retry.go:61","msg":"retrying upstream","upstream":"${upstream}","attempt":${1 + Math.floor(r() * 3)},"error":"context deadline exceeded"}`,
        ];
      return [
        `{"level":"info","ts":${t / 1000},"caller":"http/server.go:88","msg":"request","method":"GET","path":"${path}","status":${status},"duration_ms":${ms},"request_id":"${uuid(r)}"}`,
      ];
    case 'node':
      if (roll > 0.985)
        return [
          `{"level":50,"time":${t},"pid":1,"hostname":"web","err":{"type":"Error","message":"connect ECONNREFUSED 10.96.3.${Math.floor(r() * 250)}:6379"},"msg":"cache unavailable"}`,
          '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)',
        ];
      return [
        `{"level":30,"time":${t},"pid":1,"hostname":"web","req":{"method":"POST","url":"${path}"},"res":{"statusCode":${status}},"responseTime":${ms},"msg":"request completed"}`,
      ];
    case 'spring':
      if (roll > 0.99)
        return [
          `${iso} ERROR 1 --- [nio-8080-exec-${Math.floor(r() * 10)}] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() threw exception`,
          'org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection',
          '\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:275)',
          '\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.translateExceptionIfPossible(HibernateJpaDialect.java:233)',
          'Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.',
          '\t... 42 common frames omitted',
        ];
      return [
        `${iso}  INFO 1 --- [nio-8080-exec-${Math.floor(r() * 10)}] c.e.orders.web.OrderController         : order ${Math.floor(r() * 1e6)} placed in ${ms} ms`,
      ];
    case 'uvicorn':
      if (roll > 0.99)
        return [
          'ERROR:    Exception in ASGI application',
          'Traceback (most recent call last):',
          '  File "/usr/local/lib/python3.12/site-packages/uvicorn/protocols/http/h11_impl.py", line 408, in run_asgi',
          '    result = await app(self.scope, self.receive, self.send)',
          '  File "/app/main.py", line 42, in get_item',
          '    return await db.fetch_one(query)',
          `asyncpg.exceptions.TooManyConnectionsError: sorry, too many clients already`,
        ];
      return [
        `INFO:     10.0.${Math.floor(r() * 4)}.${Math.floor(r() * 250)}:${40000 + Math.floor(r() * 20000)} - "GET ${path} HTTP/1.1" ${status} OK`,
      ];
    case 'nginx': {
      const d = new Date(t);
      const clf = `${String(d.getUTCDate()).padStart(2, '0')}/Oct/2025:${d.toISOString().slice(11, 19)} +0000`;
      return [
        `10.0.${Math.floor(r() * 4)}.${Math.floor(r() * 250)} - - [${clf}] "GET ${path} HTTP/1.1" ${status} ${Math.floor(r() * 5000)} "-" "Mozilla/5.0 (X11; Linux x86_64)" ${300 + Math.floor(r() * 200)} ${(ms / 1000).toFixed(3)} [shop-web-80] [] 10.0.1.${Math.floor(r() * 250)}:8080 ${Math.floor(r() * 5000)} ${(ms / 1000).toFixed(3)} ${status} ${uuid(r).replace(/-/g, '')}`,
      ];
    }
    case 'klog': {
      const d = new Date(t);
      const head = `${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')} ${d.toISOString().slice(11, 23)}000`;
      if (roll > 0.98)
        return [
          `W${head}       1 reflector.go:424] watch of *v1.Pod ended with: an error on the server ("unable to decode an event from the watch stream: http2: client connection lost") has prevented the request from succeeding`,
        ];
      return [
        `I${head}       1 controller.go:${100 + Math.floor(r() * 200)}] "Reconciled" object="shop/${upstream}-${Math.floor(r() * 9)}" duration="${ms}ms"`,
      ];
    }
    case 'logfmt':
      if (roll > 0.98)
        return [
          `time="${iso}" level=error msg="publish failed" topic=orders partition=${Math.floor(r() * 12)} err="kafka: client has run out of available brokers to talk to"`,
        ];
      return [
        `time="${iso}" level=info msg="message processed" topic=orders partition=${Math.floor(r() * 12)} offset=${Math.floor(r() * 1e7)} took=${ms}ms`,
      ];
  }
}

/** About `count` lines of the log `pod` writes (multi-line traces count every line), oldest first. */
export function syntheticLog(pod: string, upstream: string, count: number): string[] {
  const r = prng(hash(pod));
  const stack = STACKS[hash(pod.replace(/-[^-]+$/, '')) % STACKS.length];
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) out.push(...line(stack, r, NOW - (count - i) * 2_000, upstream));
  return out.slice(0, count);
}

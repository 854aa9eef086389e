// A probe against a declared-behaviour container, with the kubelet's result messages
// (pkg/probe/http, pkg/probe/tcp, pkg/probe/exec): httpGet and tcpSocket succeed when the
// container listens on the port (a named port resolves against its container ports): nginx
// answers 404 off its document root, busybox's httpd anything; a server that does not speak HTTP
// (redis, postgres) ends the response (EOF);
// exec runs the command through the shell model over the files the container wrote, and fails
// with its output when it exits non-zero. Pure.
import { normalizeImage } from '../images';
import { type Step } from './program';
import { runtimeImage } from './images';
import { compileShell } from './shell';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ProbeTarget {
  container: Json;
  podIP: string;
  /** Ports the container listens on; undefined: a project image, whose ports cannot be known, answers anywhere. */
  ports?: ReadonlySet<number>;
  files: Map<string, string>;
  env: Record<string, string>;
}

export type ProbeResult = { ok: true } | { ok: false; message: string };

/** A named port of the container's ports, or the number itself. */
function portOf(container: Json, port: unknown): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(String(port))) return Number(port);
  return ((container.ports ?? []) as Json[]).find((p) => p.name === port)?.containerPort;
}

const nginxRoot = (path: string) => (path === '/' || path === '/index.html' ? 200 : 404);
/** How catalogued images answer HTTP; the shell images' `httpd` serves anything. Others are not HTTP servers. */
const HTTP_SERVERS: Record<string, (path: string) => number> = {
  'docker.io/library/nginx': nginxRoot,
  'docker.io/nginxinc/nginx-unprivileged': nginxRoot,
  'docker.io/library/busybox': () => 200,
  'docker.io/library/alpine': () => 200,
};

function httpStatus(image: string, path: string): number | 'EOF' {
  if (!runtimeImage(image)) return 200;
  const ref = normalizeImage(image);
  const repository = ref.includes('@') ? ref.slice(0, ref.indexOf('@')) : ref.slice(0, ref.lastIndexOf(':'));
  const server = HTTP_SERVERS[repository];
  return server ? server(path) : 'EOF';
}

function exec(command: string[], target: ProbeTarget): ProbeResult {
  const image = runtimeImage(String(target.container.image ?? ''));
  const shell = { commands: image?.commands, dialect: image?.dialect ?? 'ash' } as const;
  const at = command.indexOf('-c');
  const script =
    /(^|\/)(ba|da|a)?sh$/.test(command[0] ?? '') && at > 0
      ? command[at + 1]
      : command.map((w) => `'${w}'`).join(' ');
  const steps: Step[] = compileShell(script ?? '', shell, target.env, new Map(target.files));
  const output: string[] = [];
  let code = 0;
  for (const step of steps) {
    if (step.op === 'log') output.push(step.line);
    if (step.op === 'exit') code = step.code;
    if (step.op === 'sleep' || step.op === 'exit') break;
  }
  return code === 0 ? { ok: true } : { ok: false, message: output.join('\n') };
}

export function runProbe(probe: Json, target: ProbeTarget): ProbeResult {
  const { container, podIP, ports } = target;
  if (probe.exec) return exec(probe.exec.command ?? [], target);
  const spec = probe.httpGet ?? probe.tcpSocket ?? probe.grpc;
  const port = portOf(container, spec?.port);
  if (port === undefined) return { ok: false, message: `unknown port ${String(spec?.port)}` };
  const address = `${podIP}:${port}`;
  const refused = `dial tcp ${address}: connect: connection refused`;
  const listening = ports === undefined || ports.has(port);
  if (probe.httpGet) {
    const path = probe.httpGet.path ?? '/';
    const url = `${(probe.httpGet.scheme ?? 'HTTP').toLowerCase()}://${address}${path}`;
    if (!listening) return { ok: false, message: `Get "${url}": ${refused}` };
    const status = httpStatus(String(container.image ?? ''), path);
    if (status === 'EOF') return { ok: false, message: `Get "${url}": EOF` };
    return status >= 200 && status < 400
      ? { ok: true }
      : { ok: false, message: `HTTP probe failed with statuscode: ${status}` };
  }
  return listening ? { ok: true } : { ok: false, message: refused };
}

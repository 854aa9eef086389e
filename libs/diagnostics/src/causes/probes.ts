// Probe reasoning: a failing liveness or readiness probe set against the container's declared ports
// and the port its log says it listens on, and the kubelet's failure message (refused, 404, timeout),
// so "probe failing" becomes "the probe checks :8081 but the server listens on :8080".
import { type Container, type Probe } from '../snapshot';
import { listeningPorts } from './log-targets';

export type ProbeProblemKind =
  | 'named-port-missing'
  | 'port-mismatch'
  | 'undeclared-port'
  | 'path-not-found'
  | 'http-error'
  | 'refused'
  | 'timeout'
  | 'exec-failed'
  | 'failing';

export interface ProbeProblem {
  kind: ProbeProblemKind;
  /** The cause in one phrase. */
  text: string;
  probePort?: number;
  listeningPort?: number;
  /** The log line the listening port came from. */
  listeningLine?: string;
}

/** The probe's port as a number, resolving a named port against the container's ports. */
export function probePort(p: Probe, container: Container): number | string | undefined {
  const port = p.httpGet?.port ?? p.tcpSocket?.port ?? p.grpc?.port;
  if (typeof port === 'string' && !/^\d+$/.test(port)) {
    return container.ports?.find((cp) => cp.name === port)?.containerPort ?? port;
  }
  return port === undefined ? undefined : Number(port);
}

/** What the kubelet's "probe failed" message says went wrong. */
export function parseProbeFailure(message: string): { kind: ProbeProblemKind; status?: number } {
  const status = /statuscode: (\d{3})/.exec(message);
  if (status)
    return { kind: Number(status[1]) === 404 ? 'path-not-found' : 'http-error', status: Number(status[1]) };
  if (/connection refused/i.test(message)) return { kind: 'refused' };
  if (/deadline exceeded|timeout|timed out/i.test(message)) return { kind: 'timeout' };
  if (/probe errored|exit code|command .* failed|can't open|No such file/i.test(message))
    return { kind: 'exec-failed' };
  return { kind: 'failing' };
}

/**
 * Why a probe fails, from the strongest evidence available: a named port that does not exist, a
 * port the process does not listen on (its own log line), an undeclared port, then the failure message.
 */
export function explainProbe(
  container: Container,
  probe: Probe,
  failureMessage: string | undefined,
  logLines: readonly string[],
): ProbeProblem | undefined {
  const port = probePort(probe, container);
  if (typeof port === 'string') {
    return {
      kind: 'named-port-missing',
      text: `the probe uses the named port "${port}", which container ${container.name} does not declare`,
    };
  }
  const failure = failureMessage ? parseProbeFailure(failureMessage) : undefined;
  const listening = listeningPorts(logLines);
  if (port !== undefined && !probe.exec) {
    const listens = listening.find((l) => l.port !== port);
    if (listens && !listening.some((l) => l.port === port) && failure?.kind !== 'path-not-found') {
      return {
        kind: 'port-mismatch',
        text: `the probe checks port ${port} but the process listens on port ${listens.port}`,
        probePort: port,
        listeningPort: listens.port,
        listeningLine: listens.line,
      };
    }
    const declared = (container.ports ?? []).map((p) => p.containerPort);
    if (
      declared.length &&
      !declared.includes(port) &&
      (failure?.kind === 'refused' || failure?.kind === 'timeout')
    ) {
      return {
        kind: 'undeclared-port',
        text: `the probe checks port ${port}, which is not among the container's ports (${declared.join(', ')})`,
        probePort: port,
      };
    }
  }
  if (!failure) return undefined;
  const path = probe.httpGet?.path ?? '/';
  switch (failure.kind) {
    case 'path-not-found':
      return {
        kind: 'path-not-found',
        text: `the probe path ${path} returns 404 on port ${port}: the application does not serve it`,
        probePort: port as number,
      };
    case 'http-error':
      return {
        kind: 'http-error',
        text: `the application answers the probe (${path}) with HTTP ${failure.status}: it reports itself unhealthy`,
        probePort: port as number,
      };
    case 'refused':
      return {
        kind: 'refused',
        text: `nothing accepts connections on the probe port ${port}`,
        probePort: port as number,
      };
    case 'timeout':
      return {
        kind: 'timeout',
        text: `the probe times out after ${probe.timeoutSeconds ?? 1}s: the application answers too slowly or not at all`,
        probePort: port as number,
      };
    case 'exec-failed':
      return {
        kind: 'exec-failed',
        text: `the probe command (${(probe.exec?.command ?? []).join(' ')}) fails`,
      };
    default:
      return { kind: 'failing', text: 'the probe fails' };
  }
}

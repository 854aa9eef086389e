// GET pods/<name>/log: the container's current or previous log with the real option set and the
// real refusals (which container, previous container not found, waiting to start).
import { errors } from '../api/status';
import { parseLogLines, renderLog } from '../logs/log-query';
import { type HandlerContext } from './context';
import { LogQuerySchema, parseQuery } from './query';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function names(list: unknown): string[] {
  return Array.isArray(list) ? (list as Json[]).map((c) => String(c.name)) : [];
}

function chooseContainer(pod: Json, requested: string | undefined): string {
  const name = pod.metadata.name;
  const containers = names(pod.spec?.containers);
  const init = names(pod.spec?.initContainers);
  const ephemeral = names(pod.spec?.ephemeralContainers);
  if (requested !== undefined) {
    if (![...containers, ...init, ...ephemeral].includes(requested)) {
      throw errors.badRequest(`container ${requested} is not valid for pod ${name}`);
    }
    return requested;
  }
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (containers.length === 1) return containers[0];
  if (annotated && containers.includes(annotated)) return annotated;
  const initPart = init.length ? ` or one of the init containers: [${init.join(' ')}]` : '';
  throw errors.badRequest(
    `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]${initPart}`,
  );
}

function containerStatus(pod: Json, container: string): Json | undefined {
  const all = [
    ...((pod.status?.containerStatuses ?? []) as Json[]),
    ...((pod.status?.initContainerStatuses ?? []) as Json[]),
    ...((pod.status?.ephemeralContainerStatuses ?? []) as Json[]),
  ];
  return all.find((s) => s.name === container);
}

export function handleLog(ctx: HandlerContext): void {
  const q = parseQuery(LogQuerySchema, ctx.query);
  const namespace = ctx.info.namespace as string;
  const podName = ctx.info.name as string;
  const pod = ctx.store.get(ctx.resource, namespace, podName) as Json;
  const container = chooseContainer(pod, q.container);
  const logs = ctx.logs.get(namespace, podName, container);
  const status = containerStatus(pod, container);
  let text: string;
  let start: string | undefined;
  if (q.previous) {
    if (logs?.previous === undefined) {
      throw errors.badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
    }
    text = logs.previous;
    start = status?.lastState?.terminated?.startedAt;
  } else {
    const waiting: string | undefined =
      status?.state?.waiting?.reason ??
      (status === undefined && pod.status?.phase === 'Pending' ? 'ContainerCreating' : undefined);
    if (!logs?.current && waiting && !status?.lastState?.terminated) {
      throw errors.badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${waiting}`);
    }
    text = logs?.current ?? '';
    start = status?.state?.running?.startedAt ?? status?.state?.terminated?.startedAt;
  }
  const fallback = new Date(
    start ?? pod.status?.startTime ?? pod.metadata.creationTimestamp ?? ctx.store.now(),
  );
  const since = q.sinceSeconds
    ? new Date(ctx.store.now().getTime() - q.sinceSeconds * 1000)
    : q.sinceTime
      ? new Date(q.sinceTime)
      : undefined;
  const query = { tailLines: q.tailLines, limitBytes: q.limitBytes, since, timestamps: q.timestamps };
  const body = renderLog(parseLogLines(text, fallback), query);
  ctx.res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  if (!q.follow || q.previous) {
    ctx.res.end(body);
    return;
  }
  // follow=true: keep the stream open and pass appended lines through until the client leaves.
  ctx.res.write(body);
  const stop = ctx.logs.follow(namespace, podName, container, (chunk) => {
    ctx.res.write(renderLog(parseLogLines(chunk, ctx.store.now()), { timestamps: q.timestamps }));
  });
  const end = () => {
    stop();
    ctx.streams.delete(end);
    ctx.res.end();
  };
  ctx.streams.add(end);
  ctx.req.on('close', end);
}

// The noise lane: the scenario plus unrelated healthy workloads in its first namespace (a healthy
// scenario's whole namespace, renamed so nothing clashes: deployments, a CronJob and its Jobs, an HPA,
// services with ready endpoints, Normal events, their logs) and harmless lines at the start of every
// current log (health checks, a slow request, a config reload). A correct answer must not change.
import { type ScenarioContent } from '@foxhound/kube-sim';
import { nameMap } from './rename';
import { allText, replaceNames, rewriteContent } from './rewrite';

/**
 * Harmless lines in the shape the log already has (JSON, or plain text behind a timestamp): health
 * checks, a slow request, a configuration reload. A service does not switch formats mid-log.
 */
function harmlessLines(now: Date, log: string): string {
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  const json = log.trimStart().startsWith('{');
  const lines = json
    ? [
        `{"level":"info","time":"${at(58)}","msg":"request completed","method":"GET","path":"/healthz","status":200,"duration_ms":2}`,
        `{"level":"warn","time":"${at(57)}","msg":"slow request","method":"GET","path":"/metrics","status":200,"duration_ms":812}`,
        `{"level":"info","time":"${at(56)}","msg":"configuration reloaded","source":"/etc/config","changed":0}`,
        `{"level":"info","time":"${at(55)}","msg":"request completed","method":"GET","path":"/readyz","status":200,"duration_ms":1}`,
      ]
    : [
        `${at(58)} INFO  GET /healthz 200 2ms`,
        `${at(57)} WARN  slow request GET /metrics 200 812ms`,
        `${at(56)} INFO  configuration reloaded from /etc/config (0 changes)`,
        `${at(55)} INFO  GET /readyz 200 1ms`,
      ];
  return `${lines.join('\n')}\n`;
}

const IPV4 = /\b10\.(0\.[123]|96\.\d{1,3})\.\d{1,3}\b/g;

/** Moves every pod and cluster IP of `noise` to an address `taken` does not use, in the same subnet. */
function freshAddresses(noise: ScenarioContent, taken: string): Map<string, string> {
  const used = new Set(taken.match(IPV4) ?? []);
  const nodes = new Set(
    noise.objects
      .filter((o) => o.object.kind === 'Node')
      .flatMap((o) =>
        ((o.object.status as { addresses?: { address: string }[] } | undefined)?.addresses ?? []).map(
          (a) => a.address,
        ),
      ),
  );
  const map = new Map<string, string>();
  for (const ip of new Set(allText(noise).match(IPV4) ?? [])) {
    if (nodes.has(ip) || ip === '10.96.0.1' || ip === '10.96.0.10') continue; // shared nodes, the API, DNS
    const prefix = ip.split('.').slice(0, 3).join('.');
    for (let last = 254; last > 1; last -= 1) {
      const candidate = `${prefix}.${last}`;
      if (!used.has(candidate)) {
        used.add(candidate);
        map.set(ip, candidate);
        break;
      }
    }
  }
  return map;
}

/** New uids for the copied objects, so owner references never point into the scenario's objects. */
function freshUids(noise: ScenarioContent): Map<string, string> {
  const map = new Map<string, string>();
  for (const { object } of noise.objects) {
    const uid = object.metadata.uid as string | undefined;
    if (uid && object.kind !== 'Node') map.set(uid, `0e0e${uid.slice(4)}`);
  }
  return map;
}

export function addNoise(content: ScenarioContent, healthy: ScenarioContent, now: Date): ScenarioContent {
  const target = content.manifest.namespaces[0]!;
  const [source] = healthy.manifest.namespaces;
  const names = nameMap(healthy, { seed: 17, fixed: { [source!]: target } });
  const renamed = rewriteContent(healthy, replaceNames(names));
  const addresses = freshAddresses(renamed, allText(content));
  const uids = freshUids(renamed);
  const noise = rewriteContent(renamed, replaceNames(new Map([...addresses, ...uids])));
  const shared = new Set(
    content.objects.map((o) => `${o.object.kind}/${o.object.metadata.namespace}/${o.object.metadata.name}`),
  );
  const extra = noise.objects.filter(
    (o) =>
      !!o.object.metadata.namespace &&
      o.object.kind !== 'Namespace' &&
      !shared.has(`${o.object.kind}/${o.object.metadata.namespace}/${o.object.metadata.name}`),
  );
  return {
    ...content,
    objects: [...content.objects, ...extra],
    logs: [
      ...content.logs.map((l) =>
        l.current !== undefined ? { ...l, current: harmlessLines(now, l.current) + l.current } : l,
      ),
      ...noise.logs.filter((l) => l.namespace === target),
    ],
    metrics: [...content.metrics, ...noise.metrics],
  };
}

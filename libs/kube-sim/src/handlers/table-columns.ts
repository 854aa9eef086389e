// The printer columns of server-side tables: per kind, what `kubectl get` shows, after the real
// server's printers (pkg/printers/internalversion) for the kinds an on-call engineer looks at.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Cell = string | number;

export interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  format?: string;
  priority?: number;
  cell: (o: Json, now: number) => Cell;
}

/** kubectl's HumanDuration: 45s, 3m20s, 5h, 12d, 2y30d. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 192) return h % 24 === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  const d = Math.floor(h / 24);
  if (h < 24 * 365 * 8)
    return d % 365 === 0 ? `${Math.floor(d / 365)}y` : `${Math.floor(d / 365)}y${d % 365}d`;
  return `${Math.floor(d / 365)}y`;
}

const since = (t: string | undefined, now: number) => (t ? humanDuration(now - Date.parse(t)) : '<unknown>');
const name: Column = { name: 'Name', type: 'string', format: 'name', cell: (o) => o.metadata?.name ?? '' };
const age: Column = {
  name: 'Age',
  type: 'string',
  cell: (o, now) => since(o.metadata?.creationTimestamp, now),
};
const col = (n: string, cell: Column['cell'], type: Column['type'] = 'string', priority = 0): Column => ({
  name: n,
  type,
  priority,
  cell,
});
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

function podStatus(pod: Json): string {
  const status = pod.status ?? {};
  let reason: string = status.reason ?? status.phase ?? '';
  const init = (status.initContainerStatuses ?? []) as Json[];
  for (let i = 0; i < init.length; i++) {
    const st = init[i].state ?? {};
    if (st.terminated?.exitCode === 0) continue;
    if (st.terminated) reason = `Init:${st.terminated.reason ?? `ExitCode:${st.terminated.exitCode}`}`;
    else if (st.waiting?.reason && st.waiting.reason !== 'PodInitializing')
      reason = `Init:${st.waiting.reason}`;
    else reason = `Init:${i}/${(pod.spec?.initContainers ?? []).length}`;
    return reason;
  }
  let running = false;
  for (const c of [...((status.containerStatuses ?? []) as Json[])].reverse()) {
    const st = c.state ?? {};
    if (st.waiting?.reason) reason = st.waiting.reason;
    else if (st.terminated?.reason) reason = st.terminated.reason;
    else if (st.terminated)
      reason = st.terminated.signal ? `Signal:${st.terminated.signal}` : `ExitCode:${st.terminated.exitCode}`;
    else if (st.running && c.ready) running = true;
  }
  if (reason === 'Completed' && running) reason = 'Running';
  if (pod.metadata?.deletionTimestamp) reason = 'Terminating';
  return reason;
}

function podRestarts(pod: Json, now: number): string {
  let count = 0;
  let last = 0;
  for (const c of (pod.status?.containerStatuses ?? []) as Json[]) {
    count += num(c.restartCount);
    const finished = c.lastState?.terminated?.finishedAt;
    if (finished) last = Math.max(last, Date.parse(finished));
  }
  return last && count ? `${count} (${humanDuration(now - last)} ago)` : String(count);
}

const ready = (o: Json) => `${num(o.status?.readyReplicas)}/${num(o.spec?.replicas ?? o.status?.replicas)}`;
const condition = (o: Json, type: string, field: 'status' | 'reason') =>
  ((o.status?.conditions ?? []) as Json[]).find((c) => c.type === type)?.[field] ?? '';

/** helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order. */
function accessModes(modes: string[] | undefined): string {
  const short: [string, string][] = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return short
    .filter(([mode]) => (modes ?? []).includes(mode))
    .map(([, s]) => s)
    .join(',');
}

/** kubectl's listWithMoreString: three items, then `+ N more...`; `<unset>` for none. */
function listWithMore(items: string[]): string {
  if (items.length > 3) return `${items.slice(0, 3).join(',')} + ${items.length - 3} more...`;
  return items.join(',') || '<unset>';
}

/** kubectl's formatEndpoints: ready addresses only; `<none>` without subsets, empty with only unready ones. */
function formatEndpoints(o: Json): string {
  const subsets: Json[] = o.subsets ?? [];
  if (!subsets.length) return '<none>';
  const all = subsets.flatMap((s) => {
    const ips = ((s.addresses ?? []) as Json[]).map((a) => String(a.ip));
    const ports: Json[] = s.ports ?? [];
    return ports.length ? ports.flatMap((p) => ips.map((ip) => `${ip}:${p.port}`)) : ips;
  });
  return all.length > 3 ? `${all.slice(0, 3).join(',')} + ${all.length - 3} more...` : all.join(',');
}

const COLUMNS: Record<string, Column[]> = {
  '/pods': [
    name,
    col('Ready', (o) => {
      const cs = (o.status?.containerStatuses ?? []) as Json[];
      return `${cs.filter((c) => c.ready).length}/${(o.spec?.containers ?? []).length}`;
    }),
    col('Status', podStatus),
    col('Restarts', podRestarts),
    age,
    col('IP', (o) => o.status?.podIP ?? '<none>', 'string', 1),
    col('Node', (o) => o.spec?.nodeName ?? '<none>', 'string', 1),
  ],
  'apps/deployments': [
    name,
    col('Ready', ready),
    col('Up-to-date', (o) => num(o.status?.updatedReplicas), 'integer'),
    col('Available', (o) => num(o.status?.availableReplicas), 'integer'),
    age,
  ],
  'apps/replicasets': [
    name,
    col('Desired', (o) => num(o.spec?.replicas), 'integer'),
    col('Current', (o) => num(o.status?.replicas), 'integer'),
    col('Ready', (o) => num(o.status?.readyReplicas), 'integer'),
    age,
  ],
  'apps/statefulsets': [name, col('Ready', ready), age],
  // kubectl's printDaemonSet.
  'apps/daemonsets': [
    name,
    col('Desired', (o) => num(o.status?.desiredNumberScheduled), 'integer'),
    col('Current', (o) => num(o.status?.currentNumberScheduled), 'integer'),
    col('Ready', (o) => num(o.status?.numberReady), 'integer'),
    col('Up-to-date', (o) => num(o.status?.updatedNumberScheduled), 'integer'),
    col('Available', (o) => num(o.status?.numberAvailable), 'integer'),
    col(
      'Node Selector',
      (o) =>
        Object.entries((o.spec?.template?.spec?.nodeSelector ?? {}) as Record<string, string>)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([k, v]) => `${k}=${v}`)
          .join(',') || '<none>',
    ),
    age,
  ],
  '/services': [
    name,
    col('Type', (o) => o.spec?.type ?? 'ClusterIP'),
    col('Cluster-IP', (o) => o.spec?.clusterIP ?? '<none>'),
    col(
      'External-IP',
      (o) =>
        ((o.status?.loadBalancer?.ingress ?? []) as Json[]).map((i) => i.ip ?? i.hostname).join(',') ||
        '<none>',
    ),
    col(
      'Port(s)',
      (o) =>
        ((o.spec?.ports ?? []) as Json[])
          .map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`)
          .join(',') || '<none>',
    ),
    age,
  ],
  '/nodes': [
    name,
    col('Status', (o) => {
      const s = condition(o, 'Ready', 'status');
      const base = s === 'True' ? 'Ready' : s === '' ? 'Unknown' : 'NotReady';
      return o.spec?.unschedulable ? `${base},SchedulingDisabled` : base;
    }),
    col(
      'Roles',
      (o) =>
        Object.keys(o.metadata?.labels ?? {})
          .filter((k) => k.startsWith('node-role.kubernetes.io/'))
          .map((k) => k.slice('node-role.kubernetes.io/'.length))
          .join(',') || '<none>',
    ),
    age,
    col('Version', (o) => o.status?.nodeInfo?.kubeletVersion ?? ''),
  ],
  '/namespaces': [name, col('Status', (o) => o.status?.phase ?? 'Active'), age],
  '/events': [
    col('Last Seen', (o, now) => since(o.lastTimestamp ?? o.eventTime ?? o.metadata?.creationTimestamp, now)),
    col('Type', (o) => o.type ?? ''),
    col('Reason', (o) => o.reason ?? ''),
    col(
      'Object',
      (o) => `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name ?? ''}`,
    ),
    col('Message', (o) => o.message ?? ''),
  ],
  '/configmaps': [
    name,
    col('Data', (o) => Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length, 'integer'),
    age,
  ],
  '/secrets': [
    name,
    col('Type', (o) => o.type ?? 'Opaque'),
    col('Data', (o) => Object.keys(o.data ?? {}).length, 'integer'),
    age,
  ],
  '/persistentvolumeclaims': [
    name,
    col('Status', (o) => o.status?.phase ?? ''),
    col('Volume', (o) => o.spec?.volumeName ?? ''),
    col('Capacity', (o) => (o.spec?.volumeName ? (o.status?.capacity?.storage ?? '') : '')),
    col('Access Modes', (o) => (o.spec?.volumeName ? accessModes(o.status?.accessModes) : '')),
    col('StorageClass', (o) => o.spec?.storageClassName ?? '<unset>'),
    age,
  ],
  // kubectl's printers (pkg/printers/internalversion/printers.go formatEndpoints and
  // formatDiscoveryPorts/Endpoints): ports outer, addresses inner, three shown then `+ N more...`.
  '/endpoints': [name, col('Endpoints', formatEndpoints), age],
  'discovery.k8s.io/endpointslices': [
    name,
    col('AddressType', (o) => o.addressType ?? ''),
    col('Ports', (o) =>
      listWithMore(
        ((o.ports ?? []) as Json[]).map((p) => (p.port != null ? String(p.port) : (p.name ?? '*'))),
      ),
    ),
    col('Endpoints', (o) =>
      listWithMore(((o.endpoints ?? []) as Json[]).flatMap((e) => (e.addresses ?? []) as string[])),
    ),
    age,
  ],
  // kubectl's printJob (pkg/printers/internalversion/printers.go, v1.32).
  'batch/jobs': [
    name,
    col('Status', (o) => {
      const has = (type: string) => condition(o, type, 'status') === 'True';
      if (has('Complete')) return 'Complete';
      if (has('Failed')) return 'Failed';
      if (o.metadata?.deletionTimestamp) return 'Terminating';
      if (has('Suspended')) return 'Suspended';
      if (has('FailureTarget')) return 'FailureTarget';
      if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
      return 'Running';
    }),
    col('Completions', (o) =>
      o.spec?.completions != null
        ? `${num(o.status?.succeeded)}/${num(o.spec.completions)}`
        : (o.spec?.parallelism ?? 1) > 1
          ? `${num(o.status?.succeeded)}/1 of ${num(o.spec.parallelism)}`
          : `${num(o.status?.succeeded)}/1`,
    ),
    col('Duration', (o, now) => {
      if (!o.status?.startTime) return '';
      const end = o.status.completionTime ? Date.parse(o.status.completionTime) : now;
      return humanDuration(end - Date.parse(o.status.startTime));
    }),
    age,
  ],
  'agents.x-k8s.io/sandboxes': [
    name,
    col('Ready', (o) => condition(o, 'Ready', 'status')),
    col('Reason', (o) => condition(o, 'Ready', 'reason')),
    age,
  ],
  'extensions.agents.x-k8s.io/sandboxclaims': [
    name,
    col('Ready', (o) => condition(o, 'Ready', 'status')),
    col('Sandbox', (o) => o.status?.sandbox?.name ?? ''),
    col('Reason', (o) => condition(o, 'Ready', 'reason')),
    age,
  ],
  'extensions.agents.x-k8s.io/sandboxwarmpools': [
    name,
    col('Ready', (o) => num(o.status?.readyReplicas), 'integer'),
    col('Desired', (o) => num(o.spec?.replicas), 'integer'),
    age,
  ],
};

const selectorText = (sel: Json | undefined) =>
  Object.entries((sel?.matchLabels ?? {}) as Record<string, string>)
    .map(([k, v]) => `${k}=${v}`)
    .join(',') || '<none>';

const MORE_COLUMNS: Record<string, Column[]> = {
  'autoscaling/horizontalpodautoscalers': [
    name,
    col('Reference', (o) => `${o.spec?.scaleTargetRef?.kind ?? ''}/${o.spec?.scaleTargetRef?.name ?? ''}`),
    col(
      'Targets',
      (o) =>
        ((o.spec?.metrics ?? []) as Json[])
          .map((m, i) => {
            const target = m.resource?.target ?? {};
            const current = ((o.status?.currentMetrics ?? []) as Json[])[i]?.resource?.current ?? {};
            const want =
              target.averageUtilization !== undefined
                ? `${target.averageUtilization}%`
                : (target.averageValue ?? target.value ?? '');
            const have =
              current.averageUtilization !== undefined
                ? `${current.averageUtilization}%`
                : (current.averageValue ?? '<unknown>');
            return `${m.resource?.name ?? m.type}: ${have}/${want}`;
          })
          .join(', ') || '<none>',
    ),
    col('MinPods', (o) => num(o.spec?.minReplicas ?? 1), 'integer'),
    col('MaxPods', (o) => num(o.spec?.maxReplicas), 'integer'),
    col('Replicas', (o) => num(o.status?.currentReplicas), 'integer'),
    age,
  ],
  'batch/cronjobs': [
    name,
    col('Schedule', (o) => o.spec?.schedule ?? ''),
    col('Suspend', (o) => String(o.spec?.suspend ?? false)),
    col('Active', (o) => (o.status?.active ?? []).length, 'integer'),
    col('Last Schedule', (o, now) =>
      o.status?.lastScheduleTime ? since(o.status.lastScheduleTime, now) : '<none>',
    ),
    age,
  ],
  'networking.k8s.io/ingresses': [
    name,
    col('Class', (o) => o.spec?.ingressClassName ?? '<none>'),
    col('Hosts', (o) => ((o.spec?.rules ?? []) as Json[]).map((r) => r.host ?? '*').join(',') || '*'),
    col('Address', (o) =>
      ((o.status?.loadBalancer?.ingress ?? []) as Json[]).map((i) => i.ip ?? i.hostname).join(','),
    ),
    col('Ports', (o) => ((o.spec?.tls ?? []).length ? '80, 443' : '80')),
    age,
  ],
  'networking.k8s.io/networkpolicies': [
    name,
    col('Pod-Selector', (o) => selectorText(o.spec?.podSelector)),
    age,
  ],
  'policy/poddisruptionbudgets': [
    name,
    col('Min Available', (o) => (o.spec?.minAvailable !== undefined ? String(o.spec.minAvailable) : 'N/A')),
    col('Max Unavailable', (o) =>
      o.spec?.maxUnavailable !== undefined ? String(o.spec.maxUnavailable) : 'N/A',
    ),
    col('Allowed Disruptions', (o) => num(o.status?.disruptionsAllowed), 'integer'),
    age,
  ],
  '/resourcequotas': [
    name,
    age,
    col('Request', (o) =>
      Object.keys(o.spec?.hard ?? {})
        .filter((k) => !k.startsWith('limits.'))
        .map((k) => `${k}: ${o.status?.used?.[k] ?? '0'}/${o.spec.hard[k]}`)
        .join(', '),
    ),
    col('Limit', (o) =>
      Object.keys(o.spec?.hard ?? {})
        .filter((k) => k.startsWith('limits.'))
        .map((k) => `${k}: ${o.status?.used?.[k] ?? '0'}/${o.spec.hard[k]}`)
        .join(', '),
    ),
  ],
  'storage.k8s.io/storageclasses': [
    {
      ...name,
      cell: (o) =>
        `${o.metadata?.name ?? ''}${o.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' ? ' (default)' : ''}`,
    },
    col('Provisioner', (o) => o.provisioner ?? ''),
    col('ReclaimPolicy', (o) => o.reclaimPolicy ?? 'Delete'),
    col('VolumeBindingMode', (o) => o.volumeBindingMode ?? 'Immediate'),
    col('AllowVolumeExpansion', (o) => String(o.allowVolumeExpansion ?? false)),
    age,
  ],
  '/persistentvolumes': [
    name,
    col('Capacity', (o) => o.spec?.capacity?.storage ?? ''),
    col('Access Modes', (o) => accessModes(o.spec?.accessModes)),
    col('Reclaim Policy', (o) => o.spec?.persistentVolumeReclaimPolicy ?? ''),
    col('Status', (o) => o.status?.phase ?? ''),
    col('Claim', (o) => (o.spec?.claimRef ? `${o.spec.claimRef.namespace}/${o.spec.claimRef.name}` : '')),
    col('StorageClass', (o) => o.spec?.storageClassName ?? ''),
    age,
  ],
  '/serviceaccounts': [name, col('Secrets', (o) => (o.secrets ?? []).length, 'integer'), age],
};

/** The columns `kubectl get` shows for a resource; Name and Age for kinds without a printer. */
export function columnsFor(r: { group: string; plural: string }): Column[] {
  const key = `${r.group}/${r.plural}`;
  return COLUMNS[key] ?? MORE_COLUMNS[key] ?? [name, age];
}

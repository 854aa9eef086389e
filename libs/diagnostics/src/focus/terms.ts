// The words of a question or alert that may name a cluster object: single tokens (kept whole when
// they carry separators, dots or colons, so `catalog-api`, `orders/web`, `shop:3.12.1` and
// `3.12.1` survive), runs of two or three plain words joined as a name would be (`checkout
// service` → `checkout-service`), the kind a neighbouring word names ("the checkout service", "pod
// web-1", "namespace shop") and alert label values. Common English and generic Kubernetes nouns are
// never names on their own.

export interface FocusInput {
  /** The prompt, alert title and description: free text in any language. */
  text: string;
  /** Alert labels (`deployment=web`, `namespace=shop`): values are names by construction. */
  labels?: Record<string, string>;
}

export interface Term {
  text: string;
  source: 'prompt' | 'label';
  /** A kind the text names next to the term ("the checkout service" → Service). */
  kind?: string;
  /** Shaped like a name (separators or digits with letters), or an alert label: worth saying when nothing matches. */
  nameLike: boolean;
}

/** Bounds on the work per question: a pasted log must not make resolution quadratic. */
const MAX_TEXT = 4000;
const MAX_TERMS = 60;

const KIND_WORDS: Record<string, string> = {
  service: 'Service',
  services: 'Service',
  svc: 'Service',
  deployment: 'Deployment',
  deployments: 'Deployment',
  deploy: 'Deployment',
  statefulset: 'StatefulSet',
  daemonset: 'DaemonSet',
  pod: 'Pod',
  pods: 'Pod',
  node: 'Node',
  nodes: 'Node',
  namespace: 'Namespace',
  ns: 'Namespace',
  job: 'Job',
  cronjob: 'CronJob',
  configmap: 'ConfigMap',
  secret: 'Secret',
  ingress: 'Ingress',
  quota: 'ResourceQuota',
  resourcequota: 'ResourceQuota',
  pvc: 'PersistentVolumeClaim',
  hpa: 'HorizontalPodAutoscaler',
  container: 'Container',
  image: 'Image',
  app: 'Workload',
  workload: 'Workload',
};

const LABEL_KINDS: Record<string, string> = {
  deployment: 'Deployment',
  statefulset: 'StatefulSet',
  daemonset: 'DaemonSet',
  pod: 'Pod',
  service: 'Service',
  job: 'Job',
  job_name: 'Job',
  cronjob: 'CronJob',
  container: 'Container',
  node: 'Node',
  instance: 'Node',
  namespace: 'Namespace',
  app: 'Workload',
  app_kubernetes_io_name: 'Workload',
  image: 'Image',
};

/** Words that are never a name by themselves: English glue and generic operations vocabulary. */
const STOP = new Set(
  `a an the and or but if then than that this these those there here is are was were be been being
  am do does did doing done have has had having not no nor yes of on in at by for from to into onto
  with without about over under after before since until while during again also just only very
  too so such can could should would will may might must shall what which who whom whose why how
  when where all any each every some many much more most other others another same own its it they
  them their our ours we us you your i me my mine he she his her hers up down out off new old now
  today yesterday morning evening night hour hours minute minutes ago still keep keeps kept going
  get gets got getting make makes made let lets see seen show tell give look looks looking check
  please thanks hi hello ok okay safe risk risky happen happens happened would doing roll rolling
  rollback back restart restarting restarted scale scaling scaled delete deleting deleted remove
  release releases rollout rollouts deploy deployed deploying version versions update updated
  upgrade upgraded change changes changed changing wrong broken failing fails failed failure
  failures error errors erroring crash crashes crashing crashed down slow slowly healthy health
  unhealthy fine ok working work works running run runs stuck pending ready notready not
  logs log events event status state issue issues problem problems incident alert alerts firing
  latency timeout timeouts requests request traffic users user customers customer returning return
  returns 500s 502s 503s 504s 5xx 4xx percent memory cpu disk network dns replica replicas
  cluster clusters kubernetes k8s prod production staging dev environment env team
  pod pods node nodes service services deployment deployments namespace namespaces container
  containers image images job jobs app apps application applications workload workloads
  queue backing behind since only of out between across why whats what's isnt isn't doesnt
  doesn't cant can't wont won't`.split(/\s+/),
);

const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}._:/@-]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu;
const PLAIN = /^[a-z][a-z0-9]*$/;

function nameLikeToken(t: string): boolean {
  return /[-_.:/]/.test(t) || (/\d/.test(t) && /[a-z]/.test(t));
}

/** Terms in order of appearance, deduplicated, label values first. */
export function extractTerms(input: FocusInput): Term[] {
  const out = new Map<string, Term>();
  const add = (t: Term) => {
    if (out.size >= MAX_TERMS) return;
    const prev = out.get(t.text);
    if (!prev) out.set(t.text, t);
    else if (!prev.kind && t.kind) out.set(t.text, { ...prev, kind: t.kind });
  };
  for (const [key, value] of Object.entries(input.labels ?? {})) {
    const kind = LABEL_KINDS[key.toLowerCase().replace(/[^a-z0-9]+/g, '_')];
    const v = value.trim().toLowerCase();
    if (kind && v && v.length <= 253) add({ text: v, source: 'label', kind, nameLike: true });
  }
  const tokens = (input.text.slice(0, MAX_TEXT).toLowerCase().match(TOKEN) ?? []).map((t) =>
    t.replace(/^[/@:]+|[/@:.]+$/g, ''),
  );
  tokens.forEach((token, i) => {
    // A bare number ("6 of 8 pods") is a count, not a name; versions keep their dots.
    if (!token || KIND_WORDS[token] !== undefined || /^\d+$/.test(token)) return;
    const kind = KIND_WORDS[tokens[i + 1] ?? ''] ?? KIND_WORDS[tokens[i - 1] ?? ''];
    if (!STOP.has(token) && (token.length >= 3 || nameLikeToken(token)))
      add({ text: token, source: 'prompt', ...(kind ? { kind } : {}), nameLike: nameLikeToken(token) });
    // "checkout service" may be the Service checkout-service; "order processor", order-processor.
    for (const n of [2, 3]) {
      const run = tokens.slice(i, i + n);
      if (
        run.length === n &&
        run.every((w) => PLAIN.test(w)) &&
        !STOP.has(run[0]!) &&
        (!STOP.has(run[n - 1]!) || KIND_WORDS[run[n - 1]!] !== undefined)
      )
        add({ text: run.join('-'), source: 'prompt', nameLike: false });
    }
  });
  return [...out.values()];
}

// Test harness for the break-then-fix conformance lane: kube-sim with every controller on fast
// clocks, driven by the real kubectl 1.32 (testing/kubectl.ts) and read back through the real
// @kubernetes/client-node. Each test works in its own namespace; close() removes the sim and the
// temporary HOME (kubectl's discovery cache and the kubeconfig). `useCluster()` is the per-file
// setup every break-then-fix suite shares; the small readers below are the ones they all use.
import * as k8s from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultControllers, type DefaultControllerOptions } from '../controllers';
import { startKubeSim, type KubeSim } from '../sim';
import { kubeConfig } from './client';
import { ensureKubectl } from './kubectl';
import { watchObject } from './watch-until';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlCluster {
  sim: KubeSim;
  kc: k8s.KubeConfig;
  /** Runs kubectl in `namespace` (created by `namespace()`), never throwing. */
  run(namespace: string, ...args: string[]): Promise<KubectlResult>;
  /** Runs kubectl and returns stdout; throws with stderr when it exits non-zero. */
  ok(namespace: string, ...args: string[]): Promise<string>;
  /** `kubectl apply -f` of a YAML manifest. */
  apply(namespace: string, yaml: string): Promise<string>;
  /** `kubectl get <kind> <name> -o json`, parsed. */
  get(namespace: string, kind: string, name: string): Promise<Json>;
  /** Waits (client-node watch, bounded) until the named object satisfies `predicate`. */
  waitFor(path: string, name: string, predicate: (o: Json) => boolean, timeoutMs?: number): Promise<Json>;
  /** Events in `namespace` matching a field selector (`involvedObject.name=web`, `reason=Unhealthy`). */
  events(namespace: string, fieldSelector: string): Promise<Json[]>;
  /** Creates a namespace with a unique name starting with `prefix`. */
  namespace(prefix: string): Promise<string>;
  close(): Promise<void>;
}

/** The API path of a namespace's pods, for waitFor and watchUntil. */
export const podsPath = (namespace: string): string => `/api/v1/namespaces/${namespace}/pods`;

/** A pod's first container status (`{}` before the kubelet writes one). */
export const containerStatus = (pod: Json): Json => pod.status?.containerStatuses?.[0] ?? {};

/**
 * Starts one cluster for the calling test file (beforeAll) and closes it after (afterAll). The
 * returned handle forwards to that cluster and may be used only inside tests and hooks.
 */
export function useCluster(options: DefaultControllerOptions = {}): KubectlCluster {
  let cluster: KubectlCluster | undefined;
  beforeAll(async () => {
    cluster = await startCluster(options);
  });
  afterAll(() => cluster?.close());
  return new Proxy({} as KubectlCluster, {
    get(_target, key) {
      if (!cluster)
        throw new Error('useCluster: the cluster is used outside a test (it starts in beforeAll)');
      return cluster[key as keyof KubectlCluster];
    },
  });
}

/** Controllers on clocks short enough for tests: milliseconds instead of seconds. */
export function fastControllers(overrides: DefaultControllerOptions = {}): DefaultControllerOptions {
  return {
    workloads: { baseBackoffMs: 10, maxBackoffMs: 200 },
    storage: { retryMs: 20 },
    jobs: { podBackoffMs: 20, maxPodBackoffMs: 200 },
    hpa: { syncPeriodMs: 50, downscaleStabilizationMs: 300 },
    ...overrides,
    kubelet: {
      startDelayMs: 1,
      readyDelayMs: 1,
      imagePullBackOffMs: 20,
      imagePullRetryMs: 50,
      retryMs: 20,
      msPerSecond: 2,
      ...overrides.kubelet,
    },
    agentSandbox: false,
  };
}

export async function startCluster(options: DefaultControllerOptions = {}): Promise<KubectlCluster> {
  const kubectl = await ensureKubectl();
  const sim = await startKubeSim({
    prometheus: false,
    controllers: defaultControllers(fastControllers(options)),
  });
  const home = await mkdtemp(join(tmpdir(), 'kube-sim-break-fix-'));
  const kubeconfig = join(home, 'kubeconfig.yaml');
  await sim.writeKubeconfig(kubeconfig);
  const kc = kubeConfig(sim);
  let manifests = 0;

  const run = (namespace: string, ...args: string[]): Promise<KubectlResult> =>
    new Promise((done) => {
      const env = { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig };
      execFile(kubectl, ['-n', namespace, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
        done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  const ok = async (namespace: string, ...args: string[]) => {
    const r = await run(namespace, ...args);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  return {
    sim,
    kc,
    run,
    ok,
    async apply(namespace, yaml) {
      const file = join(home, `manifest-${manifests++}.yaml`);
      await writeFile(file, yaml);
      return ok(namespace, 'apply', '-f', file);
    },
    async get(namespace, kind, name) {
      return JSON.parse(await ok(namespace, 'get', kind, name, '-o', 'json')) as Json;
    },
    async events(namespace, fieldSelector) {
      return JSON.parse(await ok(namespace, 'get', 'events', '--field-selector', fieldSelector, '-o', 'json'))
        .items as Json[];
    },
    waitFor: (path, name, predicate, timeoutMs = 20_000) => watchObject(kc, path, name, predicate, timeoutMs),
    async namespace(prefix) {
      const name = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
      await kc.makeApiClient(k8s.CoreV1Api).createNamespace({ body: { metadata: { name } } });
      return name;
    },
    async close() {
      await sim.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

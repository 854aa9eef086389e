// Starts the whole system on one machine as real processes, wired as the Helm chart wires them in a
// cluster: kube-sim (unless KUBECONFIG points at a real cluster), the sandbox-manager with its local
// backend running executors under the strongest isolation available, the router resolving sandboxes
// through the manager, and the gateway on PGlite. Internal hops carry random bearer tokens.
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assertPortsFree } from './ports';
import { freePort, startProcess, stopProcess, waitUntilReady, type ServiceProcess } from './processes';

export type RunMode = 'dist' | 'source';

export interface StackOptions {
  /** Repository root. */
  root: string;
  /** `dist`: run the built services (make build first). `source`: run TypeScript directly. */
  mode: RunMode;
  /** Where logs, the kubeconfig and the gateway's data live. */
  stateDir: string;
  /** Scenario directories loaded into kube-sim. Ignored with `kubeconfig`. */
  scenarios: string[];
  /** A real cluster's kubeconfig instead of kube-sim. */
  kubeconfig?: string;
  /** Fixed ports (make up); 0 or absent picks free ones (tests). */
  ports?: Partial<Record<'gateway' | 'router' | 'manager' | 'kubeSim' | 'prometheus', number>>;
  /** `open` for a local demo; `keys` prints an admin key. */
  authMode: 'open' | 'keys';
  /** `memory` keeps the gateway's store in memory. */
  gatewayDataDir?: string;
  isolation?: 'auto' | 'gvisor' | 'bwrap' | 'none';
  warmPoolSize?: number;
  logLevel?: string;
  /** Extra env for every service (e.g. ANTHROPIC_API_KEY reaches the executors through the manager). */
  env?: NodeJS.ProcessEnv;
  /** Extra node flags per service, e.g. `{ gateway: ['--cpu-prof'] }` to profile one of them. */
  nodeArgs?: Partial<Record<'kube-sim' | 'sandbox-manager' | 'sandbox-router' | 'gateway', string[]>>;
  onProgress?: (message: string) => void;
  /** How long each service may take to answer /readyz (default 120 s: a loaded machine is slow). */
  readyTimeoutMs?: number;
  /** How the caller chooses each port (`--gateway-port or FOXHOUND_GATEWAY_PORT`), for the taken-port error. */
  portHints?: Partial<Record<string, string>>;
}

export interface RunningStack {
  urls: { gateway: string; router: string; manager: string; kubeApi?: string; prometheus?: string };
  /** The isolation driver the sandbox-manager chose (`gvisor`, `bwrap`, `none`), from its /v1/pool. */
  isolation?: string;
  kubeconfig: string;
  adminKey?: string;
  /** The internal bearer tokens, for tools that call the manager or router directly (benchmarks). */
  tokens: { manager: string; router: string };
  logDir: string;
  processes: ServiceProcess[];
  /** Stops one service and starts it again with the same command and env (e.g. to test restarts). */
  restart(name: 'gateway' | 'sandbox-router' | 'sandbox-manager'): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

const token = () => randomBytes(24).toString('base64url');

/** Where the local stack's action writer lives, as the chart's release namespace. */
export const WRITER_NAMESPACE = 'foxhound';

/** The model settings from this shell that the executors should get: Claude, or an OpenAI-compatible server. */
const MODEL_ENV = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_MODEL',
  'OPENAI_BASE_URL',
  'OPENAI_MODEL',
  'OPENAI_API_KEY',
];

export function modelEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(MODEL_ENV.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
}

/** The node arguments that run `dir`'s `file` entry point, built or from source. */
export function entry(options: Pick<StackOptions, 'root' | 'mode'>, dir: string, file: string): string[] {
  const { root, mode } = options;
  return mode === 'dist'
    ? [path.join(root, dir, 'dist', `${file}.js`)]
    : [
        '--conditions=@foxhound/source',
        '-r',
        path.join(root, 'tools/ts-run.cjs'),
        path.join(root, dir, 'src', `${file}.ts`),
      ];
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const progress = options.onProgress ?? (() => undefined);
  const logDir = path.join(options.stateDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const port = async (name: keyof NonNullable<StackOptions['ports']>) => options.ports?.[name] || freePort();
  const processes: ServiceProcess[] = [];
  const baseEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_LEVEL: options.logLevel ?? 'info',
    ...options.env,
  };
  const specs = new Map<string, { args: string[]; env: NodeJS.ProcessEnv; readyUrl: string }>();
  const start = async (name: string, args: string[], env: NodeJS.ProcessEnv, readyUrl: string) => {
    progress(`starting ${name}`);
    specs.set(name, { args, env, readyUrl });
    const proc = startProcess({
      name,
      command: process.execPath,
      args: [...(options.nodeArgs?.[name as keyof NonNullable<StackOptions['nodeArgs']>] ?? []), ...args],
      env: { ...baseEnv, ...env },
      cwd: options.root,
      logDir,
    });
    processes.push(proc);
    await waitUntilReady(proc, readyUrl, options.readyTimeoutMs ?? 120_000, { ownPort: true });
    return proc;
  };
  const restart = async (name: string) => {
    const index = processes.findIndex((p) => p.name === name);
    const spec = specs.get(name);
    if (index === -1 || !spec) throw new Error(`no service ${name} in this stack`);
    await stopProcess(processes[index]!);
    processes.splice(index, 1);
    return start(name, spec.args, spec.env, spec.readyUrl);
  };
  const cleanups: (() => void)[] = [];
  const stop = async () => {
    // Front to back: the gateway first, so no new work reaches what is about to stop.
    for (const proc of [...processes].reverse()) await stopProcess(proc);
    for (const cleanup of cleanups.splice(0)) cleanup();
  };

  // 0. Every fixed port free, before anything starts: a taken port names its holder and leaves
  //    nothing half-started behind.
  await assertPortsFree(
    (Object.entries(options.ports ?? {}) as [string, number | undefined][])
      .filter(([name]) => !(options.kubeconfig && (name === 'kubeSim' || name === 'prometheus')))
      .map(([name, port]) => ({ name, port: port ?? 0, hint: options.portHints?.[name] ?? 'another port' })),
  );

  try {
    // 1. The cluster: kube-sim with the scenarios, or the caller's real cluster.
    let kubeconfig = options.kubeconfig;
    let kubeApi: string | undefined;
    let prometheus: string | undefined;
    if (!kubeconfig) {
      kubeconfig = path.join(options.stateDir, 'kubeconfig.yaml');
      // Foxhound's own namespace, as the chart installs into: the action writer and the execution
      // records live there, so it is protected, and no application namespace is.
      const foxhoundNamespace = path.join(options.stateDir, 'foxhound-namespace.json');
      writeFileSync(
        foxhoundNamespace,
        JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: WRITER_NAMESPACE } }),
      );
      const kubePort = await port('kubeSim');
      const promPort = await port('prometheus');
      kubeApi = `http://127.0.0.1:${kubePort}`;
      prometheus = `http://127.0.0.1:${promPort}`;
      await start(
        'kube-sim',
        [
          ...entry(options, 'libs/kube-sim', 'cli'),
          'serve',
          '--port',
          String(kubePort),
          '--prometheus-port',
          String(promPort),
          '--kubeconfig-out',
          kubeconfig,
          '--load',
          foxhoundNamespace,
          ...options.scenarios.flatMap((s) => ['--scenario', s]),
        ],
        {},
        `${kubeApi}/readyz`,
      );
    }

    // Executors run as an unprivileged user (the manager drops to it when it runs as root), so they
    // get their own copy of the kubeconfig that this user can read. It grants access to the local
    // kube-sim only; with a real cluster, point KUBECONFIG at a read-only identity.
    // It lives outside stateDir, which the caller may have made private (mkdtemp gives 0700), and
    // outside /tmp, which bubblewrap replaces with a private one inside the sandbox.
    const executorDir = mkdtempSync('/var/tmp/foxhound-executor-');
    chmodSync(executorDir, 0o755);
    cleanups.push(() => rmSync(executorDir, { recursive: true, force: true }));
    const executorKubeconfig = path.join(executorDir, 'kubeconfig.yaml');
    copyFileSync(kubeconfig, executorKubeconfig);
    chmodSync(executorKubeconfig, 0o644);

    // 2. The sandbox-manager, local backend: each sandbox is an executor process.
    const managerToken = token();
    const routerToken = token();
    const managerPort = await port('manager');
    const manager = `http://127.0.0.1:${managerPort}`;
    await start(
      'sandbox-manager',
      entry(options, 'apps/sandbox-manager', 'main'),
      {
        PORT: String(managerPort),
        HOST: '127.0.0.1',
        SANDBOX_BACKEND: 'local',
        MANAGER_AUTH_TOKEN: managerToken,
        LOCAL_ISOLATION: options.isolation ?? 'auto',
        LOCAL_WARM_POOL_SIZE: String(options.warmPoolSize ?? 1),
        LOCAL_SANDBOX_COMMAND: [process.execPath, ...entry(options, 'apps/executor', 'main')].join(' '),
        // What the manager passes on to each executor.
        KUBECONFIG: executorKubeconfig,
        ...(prometheus ? { PROMETHEUS_URL: prometheus } : {}),
        // Approved actions change kube-sim through the same scoped path (binding, TokenRequest,
        // write); kube-sim runs open here, so its RBAC does not judge the minted token. The writer
        // and the execution records live in the `foxhound` namespace loaded above (then protected).
        ...(kubeApi ? { ACTIONS_ENABLED: 'true', ACTIONS_WRITER_NAMESPACE: WRITER_NAMESPACE } : {}),
      },
      `${manager}/readyz`,
    );

    // 3. The router, resolving sandboxes through the manager (they listen on loopback ports).
    const routerPort = await port('router');
    const router = `http://127.0.0.1:${routerPort}`;
    await start(
      'sandbox-router',
      entry(options, 'apps/sandbox-router', 'main'),
      {
        PORT: String(routerPort),
        HOST: '127.0.0.1',
        ROUTER_RESOLVER: 'manager',
        SANDBOX_MANAGER_URL: manager,
        SANDBOX_MANAGER_TOKEN: managerToken,
        ROUTER_ALLOW_LOOPBACK_UPSTREAM: 'true',
        ROUTER_AUTH_TOKEN: routerToken,
      },
      `${router}/readyz`,
    );

    // 4. The gateway, the only public service.
    const gatewayPort = await port('gateway');
    const gateway = `http://127.0.0.1:${gatewayPort}`;
    const adminKey = options.authMode === 'keys' ? `fh_${randomBytes(32).toString('base64url')}` : undefined;
    await start(
      'gateway',
      entry(options, 'apps/gateway', 'main'),
      {
        PORT: String(gatewayPort),
        HOST: '127.0.0.1',
        SANDBOX_MANAGER_URL: manager,
        SANDBOX_MANAGER_TOKEN: managerToken,
        SANDBOX_ROUTER_URL: router,
        ROUTER_AUTH_TOKEN: routerToken,
        GATEWAY_AUTH_MODE: options.authMode,
        GATEWAY_DATA_DIR: options.gatewayDataDir ?? path.join(options.stateDir, 'gateway-data'),
        ...(adminKey ? { GATEWAY_BOOTSTRAP_ADMIN_KEY: adminKey } : {}),
      },
      `${gateway}/readyz`,
    );

    const pool = await fetch(`${manager}/v1/pool`, { headers: { authorization: `Bearer ${managerToken}` } })
      .then(async (r) => (r.ok ? ((await r.json()) as { isolation?: string }) : {}))
      .catch(() => ({}) as { isolation?: string });

    return {
      urls: { gateway, router, manager, kubeApi, prometheus },
      isolation: pool.isolation,
      kubeconfig,
      adminKey,
      tokens: { manager: managerToken, router: routerToken },
      logDir,
      processes,
      restart,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

// Command-line options shared by `make demo` and `make up`.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { ScenarioManifestSchema } from '@foxhound/contracts';
import { type RunMode } from './stack';

/** Incidents loaded into the demo cluster, each in its own namespace. */
export const DEMO_SCENARIOS = [
  'quota-blocks-admission',
  'crashloop-missing-env',
  'imagepull-bad-tag',
  'healthy-namespace',
];
/** The one the demo investigates. */
export const DEMO_FOCUS = 'quota-blocks-admission';

export type PortName = 'gateway' | 'router' | 'manager' | 'kubeSim' | 'prometheus';

/** Each port's flag, environment variable and `make up` default (`make demo` picks free ports). */
export const PORTS: Readonly<Record<PortName, { flag: string; env: string; up: number }>> = {
  gateway: { flag: 'gateway-port', env: 'FOXHOUND_GATEWAY_PORT', up: 8000 },
  router: { flag: 'router-port', env: 'FOXHOUND_ROUTER_PORT', up: 8080 },
  manager: { flag: 'manager-port', env: 'FOXHOUND_MANAGER_PORT', up: 8081 },
  kubeSim: { flag: 'kube-port', env: 'FOXHOUND_KUBE_PORT', up: 6443 },
  prometheus: { flag: 'prometheus-port', env: 'FOXHOUND_PROMETHEUS_PORT', up: 9090 },
};

export interface CliOptions {
  root: string;
  mode: RunMode;
  scenarios: string[];
  focus: string;
  kubeconfig?: string;
  isolation: 'auto' | 'gvisor' | 'bwrap' | 'none';
  /** The ports asked for; 0 lets the OS pick a free one. */
  ports: Record<PortName, number>;
  /** Single-operator mode: GATEWAY_ALLOW_SELF_APPROVAL for the gateway (audited per waiver). */
  selfApproval: boolean;
}

function parsePort(raw: string, source: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65_535) throw new Error(`${source} must be a port number (0-65535), not "${raw}"`);
  return port;
}

/** `defaults`: `make up` passes the fixed ports it documents, `make demo` free ones (0). */
export function parseCliOptions(
  argv: string[],
  defaults: { ports: 'fixed' | 'free' } = { ports: 'free' },
  env: NodeJS.ProcessEnv = process.env,
): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      mode: { type: 'string', default: 'dist' },
      scenario: { type: 'string', multiple: true },
      focus: { type: 'string', default: DEMO_FOCUS },
      isolation: { type: 'string', default: 'auto' },
      'no-self-approval': { type: 'boolean', default: false },
      ...Object.fromEntries(Object.values(PORTS).map((p) => [p.flag, { type: 'string' as const }])),
    },
    strict: true,
  });
  const ports = Object.fromEntries(
    (Object.keys(PORTS) as PortName[]).map((name) => {
      const { flag, env: variable, up } = PORTS[name];
      const flagValue = values[flag as keyof typeof values] as string | undefined;
      const value =
        flagValue !== undefined
          ? parsePort(flagValue, `--${flag}`)
          : env[variable]
            ? parsePort(env[variable], variable)
            : defaults.ports === 'fixed'
              ? up
              : 0;
      return [name, value];
    }),
  ) as Record<PortName, number>;
  const taken = Object.entries(ports).filter(([, p]) => p !== 0);
  for (const [name, port] of taken) {
    const other = taken.find(([n, p]) => p === port && n !== name);
    if (other) throw new Error(`--${PORTS[name as PortName].flag} and --${PORTS[other[0] as PortName].flag} are both ${port}`);
  }
  const root = path.resolve(__dirname, '../../..');
  const mode = values.mode === 'source' ? 'source' : 'dist';
  const names = values.scenario?.length ? values.scenario : DEMO_SCENARIOS;
  const scenarios = names.map((n) =>
    path.isAbsolute(n) || n.includes('/') ? path.resolve(n) : path.join(root, 'scenarios', n),
  );
  for (const dir of scenarios)
    if (!existsSync(path.join(dir, 'scenario.yaml'))) throw new Error(`no scenario at ${dir}`);
  const isolation = values.isolation as CliOptions['isolation'];
  if (!['auto', 'gvisor', 'bwrap', 'none'].includes(isolation))
    throw new Error(`--isolation must be auto, gvisor, bwrap or none`);
  const kubeconfig =
    process.env.KUBECONFIG && existsSync(process.env.KUBECONFIG)
      ? path.resolve(process.env.KUBECONFIG)
      : undefined;
  return {
    root,
    mode,
    scenarios,
    focus: values.focus ?? DEMO_FOCUS,
    kubeconfig,
    isolation,
    ports,
    selfApproval: !values['no-self-approval'],
  };
}

/** The prompt (or alert title) and namespaces of a scenario, from its scenario.yaml. */
export function scenarioPrompt(dir: string): { prompt: string; namespaces: string[]; title: string } {
  const manifest = ScenarioManifestSchema.parse(
    parseYaml(readFileSync(path.join(dir, 'scenario.yaml'), 'utf8')),
  );
  const prompt =
    manifest.prompt ?? `Alert: ${manifest.alert?.title}. ${manifest.alert?.description ?? ''}`.trim();
  return { prompt, namespaces: manifest.namespaces, title: manifest.title };
}

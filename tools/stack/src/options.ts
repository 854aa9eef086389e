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

export interface CliOptions {
  root: string;
  mode: RunMode;
  scenarios: string[];
  focus: string;
  kubeconfig?: string;
  isolation: 'auto' | 'gvisor' | 'bwrap' | 'none';
}

export function parseCliOptions(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      mode: { type: 'string', default: 'dist' },
      scenario: { type: 'string', multiple: true },
      focus: { type: 'string', default: DEMO_FOCUS },
      isolation: { type: 'string', default: 'auto' },
    },
    strict: true,
  });
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
  return { root, mode, scenarios, focus: values.focus ?? DEMO_FOCUS, kubeconfig, isolation };
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

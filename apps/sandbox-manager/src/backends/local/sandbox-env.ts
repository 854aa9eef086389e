// The environment a sandbox program starts with: a short allow-list from the manager's own
// environment (what an investigation needs: cluster access, the model, metrics) plus the values
// the manager sets. Never the manager's own credentials: nothing else is copied.
const PASS_THROUGH = new Set([
  'PATH',
  'LANG',
  'LC_ALL',
  'TZ',
  'KUBECONFIG',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_BASE_URL',
  'ANTHROPIC_MODEL',
  'OPENAI_BASE_URL',
  'OPENAI_MODEL',
  'OPENAI_API_KEY',
  'PROMETHEUS_URL',
  'NODE_EXTRA_CA_CERTS',
]);
const PASS_THROUGH_PREFIX = 'FOXHOUND_';

export interface SandboxEnvValues {
  sandboxId: string;
  port: number;
  scratchDir: string;
  /** V8 heap cap in MiB (`--max-old-space-size`); the cgroup is the hard limit. */
  heapMb: number;
  /** Where runsc keeps its state; only set for gVisor. */
  tmpDir?: string;
}

export function sandboxEnv(hostEnv: NodeJS.ProcessEnv, values: SandboxEnvValues): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(hostEnv)) {
    if (value === undefined) continue;
    if (PASS_THROUGH.has(name) || name.startsWith(PASS_THROUGH_PREFIX)) env[name] = value;
  }
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  Object.assign(env, {
    PORT: String(values.port),
    HOST: '127.0.0.1',
    HOME: values.scratchDir,
    SANDBOX_ID: values.sandboxId,
    SANDBOX_SCRATCH_DIR: values.scratchDir,
    NODE_OPTIONS: `--max-old-space-size=${values.heapMb}`,
  });
  if (values.tmpDir !== undefined) env.TMPDIR = values.tmpDir;
  return env;
}

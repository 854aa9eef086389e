// `kube-sim snapshot`: captures a live cluster into a scenario directory through a kubeconfig
// (read-only), printing what it wrote and what it could not read. @kubernetes/client-node (for
// the kubeconfig) is loaded only when the command runs, so `serve` and `check` never load it.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { captureScenario } from './capture';

export const SNAPSHOT_USAGE = `  kube-sim snapshot --namespace NS... --out DIR [--kubeconfig FILE] [--context NAME]
                    [--since 2h] [--log-lines 200]`;

/** A Go-style duration of whole units (`90s`, `2h`, `1h30m`, `7d`) in seconds. */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+[smhd])+$/.test(text)) return undefined;
  const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
  let total = 0;
  for (const [, n, u] of text.matchAll(/(\d+)([smhd])/g)) total += Number(n) * unit[u];
  return total > 0 ? total : undefined;
}

const ArgsSchema = z.object({
  namespace: z.array(z.string()).min(1, 'at least one --namespace is required'),
  out: z.string().min(1, '--out is required'),
  kubeconfig: z.string().optional(),
  context: z.string().optional(),
  since: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined) return undefined;
      const seconds = parseDuration(s);
      if (seconds === undefined)
        ctx.addIssue({ code: 'custom', message: `"${s}" is not a duration like 90s, 2h or 1h30m` });
      return seconds;
    }),
  'log-lines': z.coerce.number().int().min(0).max(100_000).optional(),
});

/** Runs the subcommand; returns the exit code (2 for bad arguments, 1 for a failed capture). */
export async function runSnapshot(argv: string[]): Promise<number> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        namespace: { type: 'string', multiple: true, short: 'n' },
        out: { type: 'string' },
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        since: { type: 'string' },
        'log-lines': { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`kube-sim snapshot: ${(err as Error).message}\nusage:\n${SNAPSHOT_USAGE}`);
    return 2;
  }
  const parsed = ArgsSchema.safeParse({ namespace: [], ...values });
  if (!parsed.success) {
    const why = parsed.error.issues
      .map((i) => `${i.path.length ? `--${i.path.join('.')}: ` : ''}${i.message}`)
      .join('; ');
    console.error(`kube-sim snapshot: ${why}\nusage:\n${SNAPSHOT_USAGE}`);
    return 2;
  }
  const a = parsed.data;
  try {
    const { KubeConfig } = await import('@kubernetes/client-node');
    const kc = new KubeConfig();
    if (a.kubeconfig) kc.loadFromFile(a.kubeconfig);
    else kc.loadFromDefault();
    if (a.context) kc.setCurrentContext(a.context);
    const out = resolve(a.out);
    const summary = await captureScenario(kc, {
      namespaces: a.namespace
        .flatMap((n) => n.split(','))
        .map((n) => n.trim())
        .filter(Boolean),
      out,
      sinceSeconds: a.since,
      logLines: a['log-lines'],
    });
    const kinds = Object.entries(summary.objects)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ');
    console.log(`captured ${kinds} and ${summary.logs} container logs into ${out}`);
    for (const w of summary.warnings) console.error(`warning: ${w}`);
    console.log(`edit ${resolve(out, 'scenario.yaml')} (title, prompt, expect), then: kube-sim check ${out}`);
    return 0;
  } catch (err) {
    console.error(`kube-sim snapshot: ${(err as Error).message}`);
    return 1;
  }
}

// foxhound snapshot --kubeconfig K [--context C] -n ns... -o DIR: a read-only capture of a live
// cluster (libs/kube's collector: GETs only) written in the scenario format, secrets redacted, with
// progress on stderr. The Kubernetes client is loaded only here, so other commands start fast.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CliError, oneLine, usageError } from '../errors';
import type * as SnapshotWriter from '../snapshot/write';
import { EXIT } from '../exit-codes';
import { type Context } from '../context';

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export async function snapshot(
  ctx: Context,
  options: { kubeconfig?: string; context?: string; namespace?: string[]; output?: string; logLines?: string },
): Promise<number> {
  const namespaces = options.namespace ?? [];
  if (!namespaces.length) throw usageError('foxhound snapshot needs at least one -n NAMESPACE');
  for (const ns of namespaces)
    if (!NAMESPACE.test(ns) || ns.length > 63) throw usageError(`-n ${ns.slice(0, 80)} is not a namespace name`);
  if (!options.output) throw usageError('foxhound snapshot needs -o DIR');
  const kubeconfig = options.kubeconfig ?? ctx.env.KUBECONFIG;
  if (!kubeconfig) throw usageError('foxhound snapshot needs --kubeconfig FILE (or KUBECONFIG)');
  if (!existsSync(kubeconfig)) throw usageError(`no kubeconfig at ${kubeconfig}`);
  const logLines = Number(options.logLines ?? '200');
  if (!Number.isInteger(logLines) || logLines < 0 || logLines > 10_000) throw usageError('--log-lines must be 0 to 10000');
  const out = path.resolve(options.output);
  // Loaded here, not at the top: the writer pulls in all of contracts' schemas (about a second of
  // start-up on a busy machine), which no other command needs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { assertEmptyOrAbsent, ensureEmptyDir, writeSnapshot } = require('../snapshot/write') as typeof SnapshotWriter;
  await assertEmptyOrAbsent(out);

  const { createKubeClient, collectSnapshot, KubeApiError, loadKubeConfig } = await import('@foxhound/kube');
  let config;
  try {
    config = loadKubeConfig({ from: 'file', path: kubeconfig });
    if (options.context) {
      if (!config.getContexts().some((c) => c.name === options.context))
        throw usageError(`--context ${options.context} is not in ${kubeconfig} (${config.getContexts().map((c) => c.name).join(', ')})`);
      config.setCurrentContext(options.context);
    }
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw usageError(`cannot read ${kubeconfig}: ${oneLine(err)}`);
  }
  const client = createKubeClient(config, { timeoutMs: 15_000 });
  ctx.ui.note(`capturing ${namespaces.join(', ')} from ${client.server} (read-only)`);
  let data;
  try {
    // The collector turns what it cannot read into gaps; a cluster that does not answer at all, or a
    // namespace that does not exist, is an error here, before anything is written.
    ctx.ui.spinner.set('checking the API server');
    await client.getJson('/version');
    for (const ns of namespaces) await client.getJson(`/api/v1/namespaces/${ns}`);
    ctx.ui.spinner.set('listing objects, events and logs');
    data = await collectSnapshot(client, { namespaces, logTailLines: logLines });
  } catch (err) {
    ctx.ui.spinner.stop();
    if (err instanceof KubeApiError && err.status === 404 && err.path.startsWith('/api/v1/namespaces/'))
      throw new CliError(`namespace ${path.basename(err.path)} does not exist on ${client.server}`, EXIT.notFound);
    if (err instanceof KubeApiError && (err.status === 401 || err.status === 403))
      throw new CliError(`the cluster at ${client.server} refused the read: ${oneLine(err)}`, EXIT.auth);
    throw new CliError(`could not read the cluster at ${client.server}: ${oneLine(err)}`, EXIT.unreachable, { cause: err });
  }
  ctx.ui.spinner.set(`writing ${out}`);
  await ensureEmptyDir(out);
  const written = await writeSnapshot(out, data, { server: client.server });
  ctx.ui.spinner.stop();
  for (const gap of data.gaps) ctx.ui.note(`not captured: ${gap.what}: ${gap.reason}`);
  for (const skip of written.skipped) ctx.ui.note(`skipped ${skip}`);
  ctx.ui.emit({ dir: out, capturedAt: data.capturedAt, ...written, gaps: data.gaps });
  ctx.ui.say(
    `wrote ${written.objects} objects and ${written.logs} logs to ${out} (${written.redacted} secret values redacted); replay it with: foxhound replay ${out}`,
  );
  return EXIT.ok;
}

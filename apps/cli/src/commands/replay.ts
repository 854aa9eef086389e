// foxhound replay DIR ["prompt"]: serves a snapshot (or any scenario directory) with kube-sim on a
// loopback port and investigates it in this process with the offline engine: no stack, no model,
// no network beyond 127.0.0.1. The stream is printed as `foxhound investigate` prints it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type InvestigationReport, type StreamEvent } from '@foxhound/contracts';
import { CliError, oneLine, usageError } from '../errors';
import { EXIT } from '../exit-codes';
import { renderEvent, renderReport } from '../render/stream';
import { type Context } from '../context';

export async function replay(ctx: Context, dir: string, prompt: string | undefined): Promise<number> {
  const root = path.resolve(dir);
  if (!existsSync(path.join(root, 'scenario.yaml'))) throw usageError(`${root} has no scenario.yaml (write one with foxhound snapshot)`);
  const [{ startKubeSim }, { createKubeClient }, { createAgent, kubeReader }] = await Promise.all([
    import('@foxhound/kube-sim'),
    import('@foxhound/kube'),
    import('@foxhound/agent'),
  ]);
  ctx.ui.spinner.set(`loading ${root} into kube-sim`);
  let sim;
  try {
    sim = await startKubeSim({ scenarios: [root] });
  } catch (err) {
    ctx.ui.spinner.stop();
    throw usageError(`cannot load ${root}: ${oneLine(err)}`);
  }
  try {
    const scenario = sim.scenarios[0]!;
    const manifest = scenario.manifest;
    const question =
      prompt?.trim() || manifest.prompt || `Alert: ${manifest.alert?.title ?? ''}. ${manifest.alert?.description ?? ''}`.trim();
    ctx.ui.note(`replaying ${root} (${manifest.namespaces.join(', ')}) on ${sim.url} with the offline engine`);
    const client = createKubeClient({ from: 'object', config: sim.kubeconfig() });
    const { engine } = await createAgent({
      cluster: kubeReader(client, { prometheusUrl: sim.prometheusUrl }),
      provider: 'offline',
      prometheusUrl: sim.prometheusUrl,
      defaultNamespaces: manifest.namespaces,
    });
    const started = Date.now();
    let report: InvestigationReport | undefined;
    let success = false;
    const controller = new AbortController();
    await engine.runTurn(
      { threadId: `replay-${process.pid}`, prompt: question, context: { namespaces: manifest.namespaces }, history: [] },
      {
        emit: (event: StreamEvent) => {
          if (event.type === 'result') {
            report = event.data.report;
            success = event.data.success;
          }
          if (ctx.ui.json) ctx.ui.emit(event);
          else for (const line of renderEvent(event, Date.now() - started, ctx.ui.style)) ctx.ui.say(line);
          ctx.ui.spinner.set('investigating');
        },
      },
      controller.signal,
    );
    ctx.ui.spinner.stop();
    if (report && !ctx.ui.json) for (const line of renderReport(report, ctx.ui.style)) ctx.ui.say(line);
    return success ? EXIT.ok : EXIT.failed;
  } catch (err) {
    throw err instanceof CliError ? err : new CliError(`the replay failed: ${oneLine(err)}`, EXIT.failed, { cause: err });
  } finally {
    ctx.ui.spinner.stop();
    await sim.close();
  }
}

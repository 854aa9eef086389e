// Prints an offline investigation of one scenario as a human reads the stream: thoughts, tool
// calls with their one-line summaries (indented under the specialist that made them), findings,
// proposals, then the result's markdown. For eyeballing what the engine says, not for timing.
//
//   node --conditions=@foxhound/source -r ./tools/ts-run.cjs tools/bench/investigate/trace.ts scenarios/oom-memory-leak
// Env: TRACE_OUTPUT=1 also prints each tool's output.
import { createAgent, kubeReader } from '@foxhound/agent';
import { type StreamEvent } from '@foxhound/contracts';
import { createKubeClient } from '@foxhound/kube';
import { startKubeSim } from '@foxhound/kube-sim';

function line(e: StreamEvent): string {
  const d = e.data as Record<string, unknown>;
  const indent = d.parent_tool_use_id ? `    [${String(d.role)}] ` : '';
  switch (e.type) {
    case 'thought':
      return `${indent}💭 ${String(d.text)}`;
    case 'tool_start':
      return `${indent}→ ${String(d.name)}: ${String(d.summary)}`;
    case 'tool_end':
      return `${indent}← ${String(d.name)} ${String(d.status)}: ${String(d.summary)}${process.env.TRACE_OUTPUT ? `\n${String(d.output)}` : ''}`;
    case 'finding':
      return `⚑ finding ${String(d.reason)} on ${JSON.stringify(d.object)}: ${String(d.cause)}`;
    case 'proposal':
      return `✎ proposal ${JSON.stringify(d.action)} risk ${String(d.risk)}; dry run ${JSON.stringify(d.dryRun ?? 'not available')}`;
    case 'result':
      return `\n=== result: ${String(d.subtype)} (${String(d.duration_ms)} ms)\n${String(d.text)}`;
    default:
      return `${e.type} ${JSON.stringify(d)}`;
  }
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: trace.ts <scenario directory>');
    process.exit(2);
  }
  const sim = await startKubeSim({ scenarios: [dir] });
  try {
    const { manifest } = sim.scenarios[0]!;
    const client = createKubeClient({ from: 'object', config: sim.kubeconfig() });
    const { engine } = await createAgent({
      cluster: kubeReader(client, { prometheusUrl: sim.prometheusUrl }),
      provider: 'offline',
      prometheusUrl: sim.prometheusUrl,
    });
    await engine.runTurn(
      {
        threadId: 'trace',
        prompt: manifest.prompt ?? manifest.alert!.title,
        alert: manifest.alert,
        context: { namespaces: manifest.namespaces },
        history: [],
      },
      { emit: (e) => console.log(line(e)) },
      new AbortController().signal,
    );
  } finally {
    await sim.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

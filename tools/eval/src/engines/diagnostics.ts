// The offline engine: collect a snapshot of the question's namespaces through the real Kubernetes
// client, run @foxhound/diagnostics over it, and report. No model, no network beyond the cluster,
// and no thread: a follow-up is answered by investigating again, and the answer says so.
import { renderReport } from '@foxhound/agent';
import { diagnose, fromSnapshotData, toReport } from '@foxhound/diagnostics';
import { collectSnapshot, createKubeClient } from '@foxhound/kube';
import { type Engine, type EngineAnswer, type EngineInput, promptOf } from '../engine';

async function investigate(input: EngineInput, focus: string): Promise<EngineAnswer> {
  const client = createKubeClient({ from: 'object', config: input.kubeconfig });
  const data = await collectSnapshot(client, {
    namespaces: input.question.namespaces,
    prometheusUrl: input.prometheusUrl,
  });
  const report = toReport(diagnose(fromSnapshotData(data), { focus }));
  return { text: renderReport(report), report, proposals: report.proposals };
}

export const diagnosticsEngine: Engine = {
  name: 'diagnostics',
  investigate: (input) => investigate(input, promptOf(input.question)),
  async followUp(input) {
    const again = await investigate(input, `${input.prompt} ${promptOf(input.question)}`);
    return {
      ...again,
      text: `The diagnostics engine keeps no thread, so it investigated ${input.question.namespaces.join(', ')} again to answer "${input.prompt}".\n\n${again.text}`,
    };
  },
};

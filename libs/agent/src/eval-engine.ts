// The offline agent as an engine of the eval harness (tools/eval): structurally its `Engine`
// (name, investigate({kubeconfig, prometheusUrl, manifest}) → InvestigationReport), declared here
// so this library does not depend on a tool. It runs the whole agent (roles, tools, proposals),
// not just the analyzers, over the scenario's cluster through the real Kubernetes client.
import { type InvestigationReport, type ScenarioManifest } from '@foxhound/contracts';
import { createKubeClient } from '@foxhound/kube';
import { createAgent } from './agent';
import { kubeReader } from './cluster/kube-reader';

export interface AgentEvalInput {
  kubeconfig: unknown;
  prometheusUrl?: string;
  manifest: Omit<ScenarioManifest, 'expect'>;
}

export interface AgentEvalEngine {
  name: string;
  investigate(input: AgentEvalInput): Promise<InvestigationReport>;
}

export const offlineAgentEngine: AgentEvalEngine = {
  name: 'agent-offline',
  async investigate({ kubeconfig, prometheusUrl, manifest }) {
    const client = createKubeClient({ from: 'object', config: kubeconfig });
    const { engine } = await createAgent({
      cluster: kubeReader(client, { prometheusUrl }),
      provider: 'offline',
      prometheusUrl,
    });
    const output = await engine.runTurn(
      {
        threadId: 'eval',
        prompt: manifest.prompt ?? manifest.alert?.title ?? manifest.title,
        alert: manifest.alert,
        context: { namespaces: manifest.namespaces },
        history: [],
      },
      { emit: () => undefined },
      new AbortController().signal,
    );
    if (!output.report)
      throw new Error(`the agent ended with ${output.subtype}: ${output.text.slice(0, 300)}`);
    return output.report;
  },
};

// Test harness: a kube-sim serving scenarios over real HTTP, the agent's kube reader on the real
// Kubernetes client, and a tool context that records every event. Nothing here is mocked.
import path from 'node:path';
import { type StreamEvent } from '@foxhound/contracts';
import { createKubeClient } from '@foxhound/kube';
import { type KubeSim, type KubeSimOptions, startKubeSim } from '@foxhound/kube-sim';
import { kubeReader } from '../cluster/kube-reader';
import { memoizeReader } from '../cluster/memo';
import { type ClusterReader } from '../cluster/reader';
import { TurnEmitter } from '../events/emitter';
import { ROLES } from '../roles/roles';
import { type RoleId } from '../roles/types';
import { loadSkillLibrary } from '../skills/library';
import { type ToolContext, TurnState } from '../tools/context';
import { ToolRegistry } from '../tools/registry';
import { allToolsets } from '../tools/toolsets';

export const SCENARIOS = path.resolve(__dirname, '../../../../scenarios');
export const scenario = (name: string): string => path.join(SCENARIOS, name);

export interface Harness {
  sim: KubeSim;
  cluster: ClusterReader;
  registry: ToolRegistry;
  events: StreamEvent[];
  turn: TurnState;
  /** Calls a tool as `role` through the registry, like a provider does. */
  call<D = unknown>(
    tool: string,
    input: Record<string, unknown>,
    role?: RoleId,
  ): ReturnType<ToolRegistry['invoke']> & Promise<{ data?: D }>;
  close(): Promise<void>;
}

export async function startHarness(
  scenarios: string[],
  options: { sim?: KubeSimOptions; kubeconfig?: Parameters<KubeSim['kubeconfig']>[0]; scope?: string[] } = {},
): Promise<Harness> {
  const sim = await startKubeSim({ ...options.sim, scenarios: scenarios.map(scenario) });
  const client = createKubeClient({ from: 'object', config: sim.kubeconfig(options.kubeconfig) });
  const cluster = kubeReader(client, { prometheusUrl: sim.prometheusUrl });
  const registry = await ToolRegistry.create(
    allToolsets({ skills: loadSkillLibrary(), prometheusUrl: sim.prometheusUrl }),
  );
  const events: StreamEvent[] = [];
  const turn = new TurnState(options.scope ?? sim.scenarios.flatMap((s) => s.manifest.namespaces));
  const ctx: ToolContext = {
    cluster: memoizeReader(cluster),
    turn,
    emitter: new TurnEmitter('t-test', { emit: (e) => void events.push(e) }),
    signal: new AbortController().signal,
    now: () => new Date(),
  };
  let ids = 0;
  return {
    sim,
    cluster,
    registry,
    events,
    turn,
    call: (tool, input, role = 'investigator') =>
      registry.invoke(
        { name: tool, input, toolUseId: `t${++ids}`, role: { ...ROLES[role], tools: [tool] } },
        ctx,
      ),
    close: () => sim.close(),
  };
}

// The offline engine over every scenario in scenarios/, each served by its own kube-sim and read
// through the real Kubernetes client: the stream must read like an investigation (five phases,
// specialists stamped, every tool closed, exactly one result at the end), and on the scenarios of
// scenarios/baseline.txt the report must name what scenario.yaml expects (the eval scores the rest).
import fs from 'node:fs';
import path from 'node:path';
import { scoreReport, type StreamEvent } from '@foxhound/contracts';
import { createKubeClient } from '@foxhound/kube';
import { startKubeSim } from '@foxhound/kube-sim';
import { SCENARIOS } from '../__fixtures__/harness';
import { createAgent } from '../agent';
import { kubeReader } from '../cluster/kube-reader';

const names = fs
  .readdirSync(SCENARIOS)
  .filter((d) => fs.existsSync(path.join(SCENARIOS, d, 'scenario.yaml')));
const baseline = new Set(
  fs
    .readFileSync(path.join(SCENARIOS, 'baseline.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#')),
);

async function investigate(name: string) {
  const sim = await startKubeSim({ scenarios: [path.join(SCENARIOS, name)] });
  try {
    const { manifest } = sim.scenarios[0]!;
    const client = createKubeClient({ from: 'object', config: sim.kubeconfig() });
    const { engine } = await createAgent({
      cluster: kubeReader(client, { prometheusUrl: sim.prometheusUrl }),
      provider: 'offline',
      prometheusUrl: sim.prometheusUrl,
    });
    const events: StreamEvent[] = [];
    const output = await engine.runTurn(
      {
        threadId: `t-${name}`,
        prompt: manifest.prompt ?? manifest.alert!.title,
        alert: manifest.alert,
        context: { namespaces: manifest.namespaces },
        history: [],
      },
      { emit: (e) => void events.push(e) },
      new AbortController().signal,
    );
    return { events, output, expect: manifest.expect };
  } finally {
    await sim.close();
  }
}

describe('the offline engine over scenarios/', () => {
  it('finds the scenarios', () => {
    expect(names.length).toBeGreaterThanOrEqual(6);
  });

  it.each(names)(
    '%s: investigates in five phases, and on the baseline names the expected cause and fix',
    async (name) => {
      const { events, output, expect: expected } = await investigate(name);
      expect(output.subtype).toBe('success');
      // The eval's own scoring (root cause, object, first action, harm), shared through contracts.
      if (baseline.has(name)) expect(scoreReport(expected, output.report!).misses).toEqual([]);

      // Exactly one terminal event, last.
      expect(events.filter((e) => e.type === 'result' || e.type === 'error')).toHaveLength(1);
      expect(events.at(-1)).toMatchObject({
        type: 'result',
        data: { success: true, provider: 'offline', model: 'foxhound-offline-1' },
      });
      // Five phases, in order, from the commander.
      const phases = events.flatMap((e) =>
        e.type === 'thought' && /^Phase \d/.test(e.data.text) ? [e.data.text.slice(0, 7)] : [],
      );
      expect(phases).toEqual(
        expected.healthy
          ? ['Phase 1', 'Phase 2', 'Phase 5']
          : ['Phase 1', 'Phase 2', 'Phase 3', 'Phase 4', 'Phase 5'],
      );
      // Every tool call is closed, with a one-line summary.
      const starts = events.flatMap((e) => (e.type === 'tool_start' ? [e.data.tool_use_id] : []));
      const ends = events.flatMap((e) => (e.type === 'tool_end' ? [e.data] : []));
      expect(ends.map((e) => e.tool_use_id).sort()).toEqual([...starts].sort());
      expect(
        ends.every((e) => typeof e.summary === 'string' && e.summary.length > 0 && !e.summary.includes('\n')),
      ).toBe(true);
      // Specialists' events point at the commander's delegation.
      const delegations = new Set(
        events.flatMap((e) =>
          e.type === 'tool_start' && ['investigator', 'log_analyst', 'remediator'].includes(e.data.name)
            ? [e.data.tool_use_id]
            : [],
        ),
      );
      const inner = events.filter(
        (e) => 'parent_tool_use_id' in e.data && e.data.parent_tool_use_id !== undefined,
      );
      expect(inner.length).toBeGreaterThan(0);
      for (const e of inner)
        expect(delegations.has((e.data as { parent_tool_use_id: string }).parent_tool_use_id)).toBe(true);
      // Root causes are emitted; symptoms only join the report.
      const findings = events.filter((e) => e.type === 'finding');
      if (!expected.healthy) expect(findings.length).toBeGreaterThan(0);
      expect(findings.every((e) => (e.data as { causedBy?: string }).causedBy === undefined)).toBe(true);
      // Proposals are events too, and the report carries the same ones.
      expect(events.filter((e) => e.type === 'proposal').map((e) => e.data)).toEqual(
        output.report!.proposals,
      );
    },
  );
});

// run_diagnostics: the LLM-free analyzers over the namespaces in scope, in one call: reads the scope
// once (objects, events, bounded logs, metrics), ranks findings into root causes with their symptoms,
// emits each root cause as a `finding` event, and answers with the ranking, what was checked and the
// blind spots. The first evidence step of every investigation.
import { type Finding, NamespaceSchema } from '@foxhound/contracts';
import { diagnose, type Diagnosis } from '@foxhound/diagnostics';
import { z } from 'zod';
import { defineTool, ok } from '../define';
import { refText } from '../../report/markdown';

const MAX_ROOTS = 6;

export const runDiagnostics = defineTool({
  name: 'run_diagnostics',
  description:
    "Run the diagnostics analyzers over namespaces (default: the turn's scope): pods, workloads, ReplicaSets, Services, Ingresses, PVCs, nodes, quotas, HPAs, PDBs, NetworkPolicies, webhooks, events, logs and resource use. Returns root causes ranked, each with evidence, the symptoms it explains and a suggested fix. Call it first.",
  params: z.object({
    namespaces: z
      .array(NamespaceSchema)
      .max(20)
      .optional()
      .describe('Namespaces to analyse; omit for the scope of the investigation.'),
    focus: z
      .string()
      .max(500)
      .optional()
      .describe('Words from the symptom (service names, errors): root causes that name them rank first.'),
  }),
  summary: (p) => `Running the diagnostics analyzers over ${p.namespaces?.join(', ') ?? 'the scope'}`,
  outputBudget: 20_000,
  run: async (p, ctx) => {
    const namespaces = p.namespaces ?? ctx.turn.scope;
    const snapshot = await ctx.cluster.snapshot(namespaces);
    const diagnosis = diagnose(snapshot, { focus: p.focus ?? ctx.turn.focus });
    for (const gap of diagnosis.gaps) ctx.turn.blindSpot(`${gap.what}: ${gap.reason}`);
    for (const error of diagnosis.errors)
      ctx.turn.blindSpot(`analyzer ${error.analyzer} failed: ${error.message}`);
    for (const group of diagnosis.groups) {
      await ctx.turn.addFinding(group.root, ctx.emitter);
      for (const symptom of group.symptoms) await ctx.turn.addFinding(symptom, ctx.emitter);
    }
    const scope = namespaces.length ? namespaces.join(', ') : 'all namespaces';
    const summary =
      diagnosis.status === 'ok'
        ? `No problems found in ${scope}`
        : `${diagnosis.rootCauses.length} root cause(s) in ${scope}; top: ${diagnosis.rootCauses[0]!.reason} on ${refText(diagnosis.rootCauses[0]!.parent ?? diagnosis.rootCauses[0]!.object)}`;
    return ok(render(diagnosis, scope), summary, diagnosis);
  },
});

function render(d: Diagnosis, scope: string): string {
  const lines = [`Scope: ${scope}. Checked: ${d.checked.slice(1).join('; ')}.`];
  if (d.status === 'ok') lines.push('No problems found: every workload examined is healthy.');
  d.groups.slice(0, MAX_ROOTS).forEach((g, i) => {
    const r = g.root;
    lines.push(
      '',
      `${i + 1}. [${r.severity}] ${r.reason} on ${refText(r.object)}${r.parent ? ` (${refText(r.parent)})` : ''}, confidence ${r.confidence.toFixed(2)} (finding ${r.id})`,
      `   Symptom: ${r.symptom}`,
      `   Cause: ${r.cause}`,
      ...r.evidence
        .slice(0, 4)
        .map(
          (e) =>
            `   Evidence (${e.source}${e.ref ? ` ${refText(e.ref)}` : ''}): ${e.excerpt.replace(/\s+/g, ' ').slice(0, 240)}`,
        ),
    );
    if (g.symptoms.length)
      lines.push(
        `   Explains ${g.symptoms.length} symptom(s): ${g.symptoms.slice(0, 5).map(symptomText).join('; ')}`,
      );
    if (r.suggestion)
      lines.push(
        `   Suggested fix: ${r.suggestion.action.type} ${r.suggestion.action.namespace}/${r.suggestion.action.name}, risk ${r.suggestion.risk}: ${r.suggestion.summary}`,
      );
  });
  if (d.groups.length > MAX_ROOTS)
    lines.push('', `(${d.groups.length - MAX_ROOTS} more root causes of lower rank)`);
  const minor = d.findings.filter(
    (f) => !d.groups.some((g) => g.root.id === f.id || g.symptoms.includes(f)) && f.severity !== 'info',
  );
  if (minor.length)
    lines.push(
      '',
      `Minor findings: ${minor
        .slice(0, 8)
        .map((f) => `${f.reason} on ${refText(f.object)}`)
        .join('; ')}`,
    );
  if (d.timeline.length)
    lines.push(
      '',
      'Timeline of the top root cause:',
      ...d.timeline.slice(-10).map((t) => `  ${t.at} ${t.what}`),
    );
  if (d.gaps.length)
    lines.push('', `Not readable: ${d.gaps.map((g) => `${g.what} (${g.reason})`).join('; ')}`);
  return lines.join('\n');
}

const symptomText = (f: Finding): string => `${refText(f.object)}: ${f.symptom}`;

// The merged lane: two unrelated scenarios in one cluster, both namespaces in scope, one question
// that mentions both, and both root causes expected, each with its fix. The primary incident loses
// its privilege: either may rank first, but neither may go unreported.
import { type IncidentExpect, type ScenarioManifest } from '@foxhound/contracts';
import { type ScenarioContent } from '@foxhound/kube-sim';
import { promptOf, questionOf } from '../engine';

/** A scenario's own incidents: its primary expectation, then any concurrent ones it lists. */
function incidentsOf(m: ScenarioManifest): IncidentExpect[] {
  const e = m.expect;
  const rootCause = e.rootCause.length ? e.rootCause : e.object ? [e.object.name] : [];
  const primary: IncidentExpect[] = rootCause.length
    ? [{ rootCause, ...(e.object ? { object: e.object } : {}), actions: e.actions }]
    : [];
  return [...primary, ...e.concurrent];
}

/** The merged manifest; the contents are applied to one simulated cluster side by side. */
export function mergeManifests(a: ScenarioManifest, b: ScenarioManifest): ScenarioManifest {
  return {
    title: `${a.title} + ${b.title}`,
    description: '',
    capturedAt: a.capturedAt,
    namespaces: [...new Set([...a.namespaces, ...b.namespaces])],
    prompt: `${promptOf(questionOf(a))} Separately: ${promptOf(questionOf(b))}`,
    expect: {
      healthy: false,
      rootCause: [],
      actions: [],
      // Forbidden types are per scenario, and one may forbid what the other needs: keep the shared ones.
      forbiddenActions: a.expect.forbiddenActions.filter((t) => b.expect.forbiddenActions.includes(t)),
      concurrent: [...incidentsOf(a), ...incidentsOf(b)],
    },
    followUps: [],
    sources: [...a.sources, ...b.sources],
    tags: ['merged'],
  };
}

/** The namespaces a scenario's objects live in: two scenarios that share one cannot share a cluster. */
function namespacesOf(c: ScenarioContent): Set<string> {
  const out = new Set(c.manifest.namespaces);
  for (const { object } of c.objects) if (object.metadata.namespace) out.add(object.metadata.namespace);
  return out;
}

/**
 * Pairs each incident scenario with the next one (cyclically) whose namespaces it does not share, so
 * every scenario is merged about twice and no pair fails only because its objects collide.
 */
export function mergePairs(contents: ScenarioContent[]): [ScenarioContent, ScenarioContent][] {
  const incidents = contents.filter((c) => !c.manifest.expect.healthy && incidentsOf(c.manifest).length);
  const spaces = incidents.map(namespacesOf);
  const pairs: [ScenarioContent, ScenarioContent][] = [];
  for (const [i, c] of incidents.entries()) {
    for (let step = 1; step < incidents.length; step += 1) {
      const j = (i + step) % incidents.length;
      if (![...spaces[i]!].some((ns) => spaces[j]!.has(ns))) {
        pairs.push([c, incidents[j]!]);
        break;
      }
    }
  }
  return pairs;
}

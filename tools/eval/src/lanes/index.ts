// The lanes of an eval run: every scenario as written (plain), then perturbed so that passing needs
// capability rather than the scenario's wording: renamed objects, a neutral prompt, unrelated noise,
// and two scenarios merged. Each lane turns the read scenarios into cases; the harness runs every
// case the same way and prints each lane's pass rate beside the plain one.
import { type ScenarioManifest } from '@foxhound/contracts';
import { type ScenarioContent } from '@foxhound/kube-sim';
import { mergeManifests, mergePairs } from './merge';
import { addNoise } from './noise';
import { renameContent } from './rename';

export const LANES = ['plain', 'renamed', 'neutral', 'noise', 'merged'] as const;
export type Lane = (typeof LANES)[number];

/** One run of an engine: the scenario contents loaded into one cluster, and what it is scored on. */
export interface EvalCase {
  name: string;
  lane: Lane;
  contents: ScenarioContent[];
  manifest: ScenarioManifest;
}

export interface LaneInputs {
  scenarios: ScenarioContent[];
  /** The healthy namespace the noise lane copies in (scenarios/healthy-namespace). */
  healthy?: ScenarioContent;
  now: Date;
}

const single = (lane: Lane, c: ScenarioContent): EvalCase => ({
  name: c.name,
  lane,
  contents: [c],
  manifest: c.manifest,
});

/** A prompt that names the scope and nothing else, and no alert to read a hint from. */
function neutral(c: ScenarioContent): ScenarioContent {
  const { alert: _alert, ...rest } = c.manifest;
  return {
    ...c,
    manifest: { ...rest, prompt: `something is wrong in namespace ${c.manifest.namespaces.join(' and ')}` },
  };
}

export function casesOf(lane: Lane, inputs: LaneInputs): EvalCase[] {
  switch (lane) {
    case 'plain':
      return inputs.scenarios.map((c) => single(lane, c));
    case 'renamed':
      return inputs.scenarios.map((c) => single(lane, renameContent(c)));
    case 'neutral':
      return inputs.scenarios.map((c) => single(lane, neutral(c)));
    case 'noise': {
      const healthy = inputs.healthy;
      if (!healthy) throw new Error('the noise lane needs a healthy scenario to copy workloads from');
      return inputs.scenarios.map((c) => single(lane, addNoise(c, healthy, inputs.now)));
    }
    case 'merged':
      return mergePairs(inputs.scenarios).map(([a, b]) => ({
        name: `${a.name}+${b.name}`,
        lane,
        contents: [a, b],
        manifest: mergeManifests(a.manifest, b.manifest),
      }));
  }
}

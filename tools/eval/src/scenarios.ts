// Finding and reading scenario directories once per run: each is read (and its timestamps moved to
// the run's clock) a single time, then every lane builds its cases from the same contents. A
// directory that does not read is kept as a broken scenario, reported as an error case.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { findScenarioDirs, readScenario, type ScenarioContent } from '@foxhound/kube-sim';

export interface BrokenScenario {
  name: string;
  error: string;
}

export interface ReadScenarios {
  contents: ScenarioContent[];
  broken: BrokenScenario[];
}

/** Scenario directories under each path; a path that is itself a scenario counts as one. */
export async function resolveScenarioDirs(paths: string[]): Promise<string[]> {
  const dirs: string[] = [];
  for (const path of paths) {
    const own = await stat(`${path}/scenario.yaml`).then(
      (s) => s.isFile(),
      () => false,
    );
    dirs.push(...(own ? [path] : await findScenarioDirs(path)));
  }
  return dirs;
}

export async function readScenarios(dirs: string[], now: Date): Promise<ReadScenarios> {
  const out: ReadScenarios = { contents: [], broken: [] };
  for (const dir of dirs) {
    try {
      out.contents.push(await readScenario(dir, now));
    } catch (err) {
      out.broken.push({
        name: basename(dir),
        error: `loading the scenario: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  }
  return out;
}

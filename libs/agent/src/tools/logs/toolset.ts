// Container logs through the Kubernetes API (pods/log), bounded and summarised.
import fs from 'node:fs';
import path from 'node:path';
import { type Toolset } from '../registry';
import { analyzeLogs } from './analyze-logs';
import { fetchPodLogs } from './fetch-pod-logs';

export function logsToolset(): Toolset {
  return {
    name: 'logs/kubernetes',
    description:
      'Container logs of one pod or every pod of a workload, current and previous, by tail or time, searchable across the whole log, with error-pattern statistics.',
    instructions: fs.readFileSync(path.join(__dirname, 'instructions.md'), 'utf8'),
    tools: [fetchPodLogs, analyzeLogs],
  };
}

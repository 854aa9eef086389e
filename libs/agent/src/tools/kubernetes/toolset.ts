// The core Kubernetes toolset: read-only views of objects, events, endpoints, quotas, images and
// resource use, all through the ClusterReader (never a shell).
import fs from 'node:fs';
import path from 'node:path';
import { type Toolset } from '../registry';
import { getEndpoints } from './get-endpoints';
import { imageCheck } from './image-check';
import { kubectlDescribe } from './kubectl-describe';
import { kubectlEvents } from './kubectl-events';
import { kubectlGet } from './kubectl-get';
import { kubectlTop } from './kubectl-top';
import { quotaExplain } from './quota-explain';

export function kubernetesToolset(options: { prerequisite?: () => Promise<void> } = {}): Toolset {
  return {
    name: 'kubernetes/core',
    description: 'Objects, events, endpoints, quotas, image references and resource use, read-only.',
    instructions: fs.readFileSync(path.join(__dirname, 'instructions.md'), 'utf8'),
    tools: [kubectlGet, kubectlDescribe, kubectlEvents, getEndpoints, quotaExplain, imageCheck, kubectlTop],
    prerequisite: options.prerequisite,
  };
}

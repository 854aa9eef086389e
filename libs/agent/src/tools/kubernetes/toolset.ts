// The core Kubernetes toolset: read-only views of objects, events, endpoints, network paths, quotas,
// images and resource use, search by name and API discovery, all through the ClusterReader (never a
// shell).
import fs from 'node:fs';
import path from 'node:path';
import { type Toolset } from '../registry';
import { apiResources } from './api-resources';
import { findResource } from './find-resource';
import { getEndpoints } from './get-endpoints';
import { imageCheck } from './image-check';
import { kubectlDescribe } from './kubectl-describe';
import { kubectlEvents } from './kubectl-events';
import { kubectlGet } from './kubectl-get';
import { kubectlTop } from './kubectl-top';
import { networkPath } from './network-path';
import { quotaExplain } from './quota-explain';

export function kubernetesToolset(options: { prerequisite?: () => Promise<void> } = {}): Toolset {
  return {
    name: 'kubernetes/core',
    description:
      'Objects of every kind (tables, manifests, JSONPath projections, descriptions), search by name, API discovery, events, endpoints, network paths, quotas, image references and resource use, read-only.',
    instructions: fs.readFileSync(path.join(__dirname, 'instructions.md'), 'utf8'),
    tools: [
      kubectlGet,
      kubectlDescribe,
      kubectlEvents,
      findResource,
      apiResources,
      getEndpoints,
      networkPath,
      quotaExplain,
      imageCheck,
      kubectlTop,
    ],
    prerequisite: options.prerequisite,
  };
}

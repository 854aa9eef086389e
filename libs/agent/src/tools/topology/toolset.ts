// The service dependency graph and blast radius, derived from cluster objects.
import { type Toolset } from '../registry';
import { blastRadius, serviceGraphTool } from './service-graph';

export function topologyToolset(): Toolset {
  return {
    name: 'topology/kubernetes',
    description:
      'Service dependency graph and blast radius from Services, env vars, ConfigMaps and Ingresses.',
    tools: [serviceGraphTool, blastRadius],
  };
}

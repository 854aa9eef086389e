// Image registries, read-only: off unless registry hosts are allow-listed, because a lookup leaves
// the cluster and the machine (the agent may only talk to what the operator named).
import { type Toolset } from '../registry';
import { type DistributionOptions } from './distribution';
import { registryTags } from './registry-tags';

export function imageRegistryToolset(options: Partial<DistributionOptions> = {}): Toolset {
  const allowedHosts = options.allowedHosts ?? [];
  return {
    name: 'image-registry/distribution',
    description: 'Tags an image registry really lists, through the OCI distribution API.',
    tools: [registryTags({ ...options, allowedHosts })],
    ...(allowedHosts.length ? {} : { disabledReason: 'no registry host is allow-listed for tag lookups' }),
  };
}

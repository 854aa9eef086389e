// Kubernetes resource quantities ("250m", "1.5", "512Mi", "2G", "1e3") to numbers and back, for
// quota, LimitRange and usage arithmetic. CPU comes out in cores, memory and storage in bytes.
import { parseQuantity } from '@foxhound/contracts';

// One parser for the whole project: contracts' (the manager's bounds checks use it too).
export { parseQuantity };

/** True for resource names measured in bytes (memory, storage, ephemeral-storage and their quota forms). */
function isByteResource(resource: string): boolean {
  return /memory|storage/.test(resource);
}

/** True for resource names counted as objects or plain numbers (`pods`, `count/deployments.apps`). */
function isCountResource(resource: string): boolean {
  return (
    resource === 'pods' ||
    resource.startsWith('count/') ||
    /^(services|secrets|configmaps|persistentvolumeclaims|replicationcontrollers|resourcequotas)/.test(
      resource,
    )
  );
}

export function formatBytes(bytes: number): string {
  const units = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const rounded = Math.round(value * 100) / 100;
  return `${rounded}${units[unit]}`;
}

function formatCpu(cores: number): string {
  if (cores !== 0 && Math.abs(cores) < 1) return `${Math.round(cores * 1000)}m`;
  return `${Math.round(cores * 1000) / 1000}`;
}

/** A base-unit number formatted the way `kubectl describe` would show it for that resource. */
export function formatQuantity(resource: string, value: number): string {
  if (isByteResource(resource)) return formatBytes(value);
  if (isCountResource(resource)) return `${Math.round(value)}`;
  return formatCpu(value);
}

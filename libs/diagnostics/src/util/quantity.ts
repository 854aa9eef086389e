// Kubernetes resource quantities ("250m", "1.5", "512Mi", "2G", "1e3") to numbers and back, for
// quota, LimitRange and usage arithmetic. CPU comes out in cores, memory and storage in bytes.
const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

/** The quantity as a number in base units, or undefined when it is not a quantity. */
export function parseQuantity(value: string | number | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const match = QUANTITY.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) * SUFFIX[match[2] ?? ''];
}

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

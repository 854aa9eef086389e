// The services' env contract (env-contract.json, a copy of /work/brief/env-contract.md) as typed data.
import contract from './env-contract.json';

export const COMPONENTS = ['gateway', 'sandbox-router', 'sandbox-manager', 'executor'] as const;
export type Component = (typeof COMPONENTS)[number];

export interface ServiceContract {
  port: number;
  kubernetesAccess: boolean;
  env: string[];
  secret: string[];
  chartSets: string[];
  chartNeverSets: string[];
  podLabels?: Record<string, string>;
  fixed?: Record<string, string>;
}

export const commonEnv: readonly string[] = contract.common;

export function serviceContract(component: Component): ServiceContract {
  return contract.services[component] as ServiceContract;
}

/** Every variable a component may receive: its own plus the common ones. */
export function allowedEnv(component: Component): Set<string> {
  return new Set([...commonEnv, ...serviceContract(component).env]);
}

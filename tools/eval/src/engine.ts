// The engine contract every investigator implements to be scored: given a kubeconfig for a
// cluster (kube-sim during evaluation), an optional Prometheus URL and the scenario's prompt or
// alert, produce the contracts' InvestigationReport. The diagnostics engine is one; the language-
// model agent and the executor plug in the same way.
import { type InvestigationReport, type ScenarioManifest } from '@foxhound/contracts';

export interface EngineInput {
  /** A kubeconfig object as `KubeConfig.loadFromOptions()` takes it. */
  kubeconfig: unknown;
  prometheusUrl?: string;
  /** The scenario: namespaces in scope, prompt or alert. Engines must not read `expect`. */
  manifest: Omit<ScenarioManifest, 'expect'>;
}

export interface Engine {
  name: string;
  investigate(input: EngineInput): Promise<InvestigationReport>;
}

/** What the on-call engineer said or the alert said, as one text: the prompt engines start from. */
export function promptOf(manifest: EngineInput['manifest']): string {
  if (manifest.prompt) return manifest.prompt;
  const a = manifest.alert!;
  return [a.title, a.service, a.description].filter(Boolean).join(' — ');
}

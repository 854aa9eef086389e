// The analyzer registry: `coreAnalyzers` run by default (k8sgpt's default set and its optional
// HPA/PDB/NetworkPolicy ones, which cost nothing here since the data is already fetched), and
// `optionalAnalyzers` for hygiene checks that are noise during an incident.
import { appLogsAnalyzer } from './app-logs';
import { configMapAnalyzer } from './configmap';
import { cronJobAnalyzer } from './cronjob';
import { daemonSetAnalyzer } from './daemonset';
import { deploymentAnalyzer } from './deployment';
import { hpaAnalyzer } from './hpa';
import { ingressAnalyzer } from './ingress';
import { jobAnalyzer } from './job';
import { limitRangeAnalyzer } from './limitrange';
import { networkPolicyAnalyzer } from './networkpolicy';
import { nodeAnalyzer } from './node';
import { pdbAnalyzer } from './pdb';
import { podAnalyzer } from './pod';
import { pvcAnalyzer } from './pvc';
import { replicaSetAnalyzer } from './replicaset';
import { resourceQuotaAnalyzer } from './resourcequota';
import { serviceAnalyzer } from './service';
import { statefulSetAnalyzer } from './statefulset';
import { type Analyzer } from './types';
import { usageAnalyzer } from './usage';
import { webhookAnalyzer } from './webhook';

export const coreAnalyzers: readonly Analyzer[] = [
  podAnalyzer,
  appLogsAnalyzer,
  deploymentAnalyzer,
  replicaSetAnalyzer,
  statefulSetAnalyzer,
  daemonSetAnalyzer,
  jobAnalyzer,
  cronJobAnalyzer,
  pvcAnalyzer,
  serviceAnalyzer,
  ingressAnalyzer,
  nodeAnalyzer,
  webhookAnalyzer,
  hpaAnalyzer,
  pdbAnalyzer,
  networkPolicyAnalyzer,
  resourceQuotaAnalyzer,
  limitRangeAnalyzer,
  usageAnalyzer,
];

export const optionalAnalyzers: readonly Analyzer[] = [configMapAnalyzer];

export { type Analyzer } from './types';

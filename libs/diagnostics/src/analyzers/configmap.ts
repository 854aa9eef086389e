// ConfigMap analyzer (k8sgpt's checks): ConfigMaps no pod uses, empty ones, and ones near the 1 MiB
// object size limit. Hygiene, reported at info or low severity.
import { type Finding } from '@foxhound/contracts';
import { configSources } from '../causes/changes';
import { lookup } from '../lookup';
import { type ClusterSnapshot } from '../snapshot';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { refOf } from '../util/refs';
import { type Analyzer } from './types';

const NEAR_LIMIT_BYTES = 900 * 1024;
/** ConfigMaps the control plane publishes into every namespace. */
const SYSTEM = new Set(['kube-root-ca.crt', 'istio-ca-root-cert', 'openshift-service-ca.crt']);

export const configMapAnalyzer: Analyzer = {
  name: 'configmap',
  kinds: ['ConfigMap'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    const used = new Set<string>();
    for (const pod of l.list('pods')) {
      for (const s of configSources({ spec: pod.spec }))
        if (s.kind === 'ConfigMap') used.add(`${pod.metadata.namespace}/${s.name}`);
    }
    const findings: Finding[] = [];
    for (const cm of l.list('configMaps')) {
      if (SYSTEM.has(cm.metadata.name)) continue;
      const ref = refOf('ConfigMap', cm);
      const size = JSON.stringify(cm.data ?? {}).length + JSON.stringify(cm.binaryData ?? {}).length;
      if (!Object.keys(cm.data ?? {}).length && !Object.keys(cm.binaryData ?? {}).length) {
        findings.push(
          makeFinding('configmap', 'Empty', ref, {
            severity: 'info',
            symptom: `ConfigMap ${cm.metadata.namespace}/${cm.metadata.name} is empty`,
            cause: 'it has no data',
            evidence: [evidence.field('data', {})],
            confidence: 0.9,
            docs: DOCS.configMaps,
          }),
        );
      } else if (
        !used.has(`${cm.metadata.namespace}/${cm.metadata.name}`) &&
        l.podsIn(cm.metadata.namespace ?? 'default').length
      ) {
        findings.push(
          makeFinding('configmap', 'Unused', ref, {
            severity: 'info',
            symptom: `ConfigMap ${cm.metadata.namespace}/${cm.metadata.name} is not used by any pod`,
            cause: 'no pod in the namespace mounts it or reads it into its environment',
            evidence: [evidence.analysis('no volume, env or envFrom reference')],
            confidence: 0.7,
            docs: DOCS.configMaps,
          }),
        );
      }
      if (size > NEAR_LIMIT_BYTES) {
        findings.push(
          makeFinding('configmap', 'NearSizeLimit', ref, {
            severity: 'low',
            symptom: `ConfigMap ${cm.metadata.namespace}/${cm.metadata.name} is ${Math.round(size / 1024)} KiB`,
            cause: 'ConfigMaps are limited to 1 MiB; updates will soon be refused',
            evidence: [evidence.analysis(`${size} bytes of data`)],
            confidence: 0.9,
            docs: DOCS.configMaps,
          }),
        );
      }
    }
    return findings;
  },
};

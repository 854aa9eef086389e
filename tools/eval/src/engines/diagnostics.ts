// The offline engine: collect a snapshot of the scenario's namespaces through the real Kubernetes
// client, run @foxhound/diagnostics over it, and report. No model, no network beyond the cluster.
import { diagnose, fromSnapshotData, toReport } from '@foxhound/diagnostics';
import { collectSnapshot, createKubeClient } from '@foxhound/kube';
import { type Engine, promptOf } from '../engine';

export const diagnosticsEngine: Engine = {
  name: 'diagnostics',
  async investigate({ kubeconfig, prometheusUrl, manifest }) {
    const client = createKubeClient({ from: 'object', config: kubeconfig });
    const data = await collectSnapshot(client, { namespaces: manifest.namespaces, prometheusUrl });
    return toReport(diagnose(fromSnapshotData(data), { focus: promptOf(manifest) }));
  },
};

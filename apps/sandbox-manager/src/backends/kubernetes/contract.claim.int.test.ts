// The sandbox contract for the Kubernetes backend in claim mode, against kube-sim with a warm
// pool of one and sandbox pods that are real probe-server processes.
import { describeBackendContract } from '../../testing/backend-contract';
import { kubeHarness } from '../../testing/kube-harness';

describeBackendContract('kubernetes/claim', () => kubeHarness({ replicas: 1 }));

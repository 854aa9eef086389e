// The sandbox contract for the Kubernetes backend in sandbox mode (bare Sandbox objects, for
// clusters without the agent-sandbox extensions).
import { type ContractHarness, describeBackendContract } from '../../testing/backend-contract';
import { kubeHarness } from '../../testing/kube-harness';

describeBackendContract('kubernetes/sandbox', async (): Promise<ContractHarness> => {
  const harness = await kubeHarness({ replicas: 0 });
  return {
    ...harness,
    start: (env = {}, options) =>
      harness.start({ SANDBOX_MODE: 'sandbox', SANDBOX_IMAGE: 'foxhound/executor:test', ...env }, options),
  };
});

// The Node a simulated kubelet registers when the cluster has none (an empty test cluster): Ready,
// 8 CPUs, 32 GiB, 110 pods, pod range 10.244.100.0/24, as a kind worker would report itself, with
// an annotation saying how its containers run (declared-behaviour mode: no processes).
import { type KubeObject } from '../../types';

export const RUNTIME_MODE_ANNOTATION = 'kube-sim.foxhound.dev/container-runtime';
/** Containers follow the behaviour their image and command declare; no process is started. */
export const RUNTIME_MODE = 'declared-behaviour';

export function defaultNode(name: string): KubeObject {
  const resources = { cpu: '8', 'ephemeral-storage': '102350Mi', memory: '32Gi', pods: '110' };
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [RUNTIME_MODE_ANNOTATION]: RUNTIME_MODE },
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
      },
    },
    // Clear of 10.244.0.x, where the agent-sandbox simulated runtime numbers its pods.
    spec: { podCIDR: '10.244.100.0/24', podCIDRs: ['10.244.100.0/24'] },
    status: {
      addresses: [
        { type: 'InternalIP', address: '172.18.0.2' },
        { type: 'Hostname', address: name },
      ],
      allocatable: resources,
      capacity: resources,
      conditions: [
        condition(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        containerRuntimeVersion: 'containerd://1.7.24',
        kubeProxyVersion: 'v1.32.0',
        kubeletVersion: 'v1.32.0',
        operatingSystem: 'linux',
        osImage: 'kube-sim',
      },
    },
  };
}

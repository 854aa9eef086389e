// The verbs each action type's writer may use, as the per-action-type ClusterRoles the Helm chart
// renders (charts/foxhound/charts/sandbox-manager/templates/actions-rbac.yaml keeps the same rules;
// tests load these objects into kube-sim). A RoleBinding in the target namespace binds one of them
// to the writer ServiceAccount for the length of one action.
import { type ExecutableAction } from '@foxhound/contracts';
import { clusterRoleFor } from './scoped-identity';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export const ACTION_RULES: Record<ExecutableAction['type'], Rule[]> = {
  DeleteResourceQuota: [{ apiGroups: [''], resources: ['resourcequotas'], verbs: ['delete'] }],
  RestoreResourceQuota: [{ apiGroups: [''], resources: ['resourcequotas'], verbs: ['create'] }],
  PatchDeploymentImage: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['patch'] }],
  RollbackDeployment: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['patch'] }],
  ScaleDeployment: [{ apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['patch'] }],
  RolloutRestart: [
    { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets'], verbs: ['patch'] },
  ],
  DeletePod: [{ apiGroups: [''], resources: ['pods'], verbs: ['delete'] }],
};

export function actionClusterRoles(prefix: string) {
  return Object.entries(ACTION_RULES).map(([type, rules]) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      name: clusterRoleFor(prefix, type as ExecutableAction['type']),
      labels: { 'app.kubernetes.io/part-of': 'foxhound', 'foxhound.dev/action-type': type },
    },
    rules,
  }));
}

// The verbs each action type's writer may use, as the per-action-type ClusterRoles the Helm chart
// renders (charts/foxhound/charts/sandbox-manager/templates/actions-rbac.yaml keeps the same rules;
// tests load these objects into kube-sim). A RoleBinding in the target namespace binds one of them
// to the writer ServiceAccount for the length of one action.
import { type ExecutableAction, GRANTABLE_ROLE_RULES } from '@foxhound/contracts';
import { clusterRoleFor } from './scoped-identity';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const WORKLOADS = ['deployments', 'statefulsets', 'daemonsets'];
/**
 * Writing a Role passes the API server's escalation check only if the writer holds every rule the
 * Role ends up with (Foxhound never holds `escalate`): so the roles that write Roles also hold the
 * grantable permissions, in the one namespace of their binding, for the one action.
 */
const ROLE_WRITER: Rule[] = [
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['update'] },
  ...GRANTABLE_ROLE_RULES.map((g) => ({
    apiGroups: [g.apiGroup],
    resources: [...g.resources],
    verbs: [...g.verbs],
  })),
];

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
  // Typed edits replace the object they edit (update, guarded by resourceVersion); no create, no delete.
  PatchContainerResources: [{ apiGroups: ['apps'], resources: WORKLOADS, verbs: ['update'] }],
  PatchContainerProbe: [{ apiGroups: ['apps'], resources: WORKLOADS, verbs: ['update'] }],
  PatchContainerCommand: [{ apiGroups: ['apps'], resources: WORKLOADS, verbs: ['update'] }],
  PatchContainerEnv: [{ apiGroups: ['apps'], resources: WORKLOADS, verbs: ['update'] }],
  PatchServiceSelector: [{ apiGroups: [''], resources: ['services'], verbs: ['update'] }],
  PatchServicePort: [{ apiGroups: [''], resources: ['services'], verbs: ['update'] }],
  PatchConfigMapKey: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['update'] }],
  PatchResourceQuota: [{ apiGroups: [''], resources: ['resourcequotas'], verbs: ['update'] }],
  PatchPodScheduling: [{ apiGroups: ['apps'], resources: WORKLOADS, verbs: ['update'] }],
  PatchPodSecurityContext: [{ apiGroups: ['apps'], resources: WORKLOADS, verbs: ['update'] }],
  AddRoleRule: ROLE_WRITER,
  // The inverse of any of them: put a pre-image back, or re-create the quota a delete removed.
  RestoreObject: [
    { apiGroups: ['apps'], resources: WORKLOADS, verbs: ['update'] },
    { apiGroups: [''], resources: ['services', 'configmaps', 'resourcequotas'], verbs: ['update'] },
    { apiGroups: [''], resources: ['resourcequotas'], verbs: ['create'] },
    ...ROLE_WRITER,
  ],
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

// The narrowest identity that can make one approved change. Per action: ensure the writer
// ServiceAccount, bind it in the target namespace to the ClusterRole holding only that action
// type's verbs (a RoleBinding, so nothing outside the namespace), mint a 10-minute token for it
// (TokenRequest), run the write with that token, and delete the binding whatever happened. The
// manager's own identity can create bindings to exactly these roles and mint tokens for exactly
// this ServiceAccount, but holds no write verb on the targets itself.
import { createHash } from 'node:crypto';
import { type ExecutableAction } from '@foxhound/contracts';
import { isConflict, isNotFound, toKubeApiError } from '@foxhound/kube';
import { type Logger } from '@foxhound/service-kit';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  type V1RoleBinding,
} from '@kubernetes/client-node';
import { type WriterApis } from './writes';

export const TOKEN_SECONDS = 600;
const BINDING_LABELS = {
  'app.kubernetes.io/managed-by': 'foxhound-sandbox-manager',
  'foxhound.dev/action-binding': 'true',
};

/** `DeleteResourceQuota` → `<prefix>delete-resource-quota`: the ClusterRole the chart renders for it. */
export function clusterRoleFor(prefix: string, type: ExecutableAction['type']): string {
  return `${prefix}${type.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`;
}

export interface ScopedIdentityOptions {
  /** The manager's own identity (creates bindings, mints tokens; cannot write targets). */
  kubeConfig: KubeConfig;
  namespace: string;
  serviceAccount: string;
  clusterRolePrefix: string;
  logger: Logger;
}

export interface ScopedRun<T> {
  result: T;
  /** Who made the change, for the execution record. */
  identity: string;
}

export class ScopedIdentity {
  private readonly core: CoreV1Api;
  private readonly rbac: RbacAuthorizationV1Api;
  private ensured?: Promise<void>;

  constructor(private readonly options: ScopedIdentityOptions) {
    this.core = options.kubeConfig.makeApiClient(CoreV1Api);
    this.rbac = options.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
  }

  get username(): string {
    return `system:serviceaccount:${this.options.namespace}:${this.options.serviceAccount}`;
  }

  /** Runs `fn` with a client holding only `action`'s verbs in `action.namespace`. */
  async run<T>(
    action: ExecutableAction,
    key: string,
    fn: (apis: WriterApis) => Promise<T>,
  ): Promise<ScopedRun<T>> {
    await (this.ensured ??= this.ensureServiceAccount().catch((err: unknown) => {
      this.ensured = undefined;
      throw err;
    }));
    const role = clusterRoleFor(this.options.clusterRolePrefix, action.type);
    const binding = await this.bind(action.namespace, role, key);
    try {
      const token = await this.mint();
      const result = await fn(this.apisFor(token));
      return {
        result,
        identity: `${this.username} (token ${TOKEN_SECONDS}s, RoleBinding ${action.namespace}/${binding} → ClusterRole ${role})`,
      };
    } finally {
      await this.rbac
        .deleteNamespacedRoleBinding({ name: binding, namespace: action.namespace })
        .catch((err: unknown) => {
          if (!isNotFound(err))
            this.options.logger.error(
              {
                err: toKubeApiError(err, 'delete the action RoleBinding'),
                namespace: action.namespace,
                binding,
              },
              'could not delete the per-action RoleBinding; delete it by hand',
            );
        });
    }
  }

  private async ensureServiceAccount(): Promise<void> {
    const { namespace, serviceAccount: name } = this.options;
    try {
      await this.core.readNamespacedServiceAccount({ name, namespace });
    } catch (err) {
      if (!isNotFound(err)) throw toKubeApiError(err, `read ServiceAccount ${namespace}/${name}`);
      await this.core
        .createNamespacedServiceAccount({
          namespace,
          body: {
            metadata: {
              name,
              namespace,
              labels: { 'app.kubernetes.io/managed-by': 'foxhound-sandbox-manager' },
            },
          },
        })
        .catch((e: unknown) => {
          if (!isConflict(e))
            throw toKubeApiError(e, `create the writer ServiceAccount ${namespace}/${name}`);
        });
    }
  }

  private async bind(namespace: string, role: string, key: string): Promise<string> {
    const name = `foxhound-action-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
    const body: V1RoleBinding = {
      metadata: { name, namespace, labels: BINDING_LABELS, annotations: { 'foxhound.dev/action-key': key } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [
        { kind: 'ServiceAccount', name: this.options.serviceAccount, namespace: this.options.namespace },
      ],
    };
    try {
      await this.rbac.createNamespacedRoleBinding({ namespace, body });
    } catch (err) {
      // A binding left by a run that died mid-way has the same name and role: reuse it.
      if (!isConflict(err))
        throw toKubeApiError(err, `bind ${this.username} to ClusterRole ${role} in ${namespace}`);
    }
    return name;
  }

  private async mint(): Promise<string> {
    const { namespace, serviceAccount: name } = this.options;
    try {
      const answer = await this.core.createNamespacedServiceAccountToken({
        name,
        namespace,
        body: { spec: { audiences: [], expirationSeconds: TOKEN_SECONDS } },
      });
      const token = answer.status?.token;
      if (!token) throw new Error('the TokenRequest answer carries no token');
      return token;
    } catch (err) {
      throw toKubeApiError(err, `mint a token for ServiceAccount ${namespace}/${name}`);
    }
  }

  private apisFor(token: string): WriterApis {
    const source = this.options.kubeConfig;
    const cluster = source.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [cluster],
      users: [{ name: 'foxhound-action-writer', token }],
      contexts: [{ name: 'writer', cluster: cluster.name, user: 'foxhound-action-writer' }],
      currentContext: 'writer',
    });
    return {
      core: kc.makeApiClient(CoreV1Api),
      apps: kc.makeApiClient(AppsV1Api),
      rbac: kc.makeApiClient(RbacAuthorizationV1Api),
    };
  }
}

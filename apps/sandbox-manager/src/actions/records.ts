// Executions recorded in the cluster, one ConfigMap per proposal in the manager's namespace, so a
// restarted manager (or another replica) knows what was applied and never applies it twice. The
// create is the lock: of two requests for one proposal, exactly one creates the record and runs.
import { createHash } from 'node:crypto';
import { ActionExecutionSchema, type ActionExecution, type ExpectedTarget } from '@foxhound/contracts';
import { isConflict, isNotFound, toKubeApiError } from '@foxhound/kube';
import { CoreV1Api, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { z } from 'zod';
import { type AppliedContext } from './observer';

export interface ExecutionRecord {
  execution: ActionExecution;
  investigationId: string;
  approvedBy: string;
  expected?: ExpectedTarget;
  /** The approver's reason for a live patch on an object Argo CD or Flux manages. */
  livePatchOnGitOps?: { reason: string };
  /** Set once the write went through. */
  applied?: AppliedContext;
}

const ContextSchema = z.object({
  investigationId: z.string(),
  approvedBy: z.string(),
  expected: z.object({ resourceVersion: z.string().optional(), digest: z.string().optional() }).optional(),
  livePatchOnGitOps: z.object({ reason: z.string() }).optional(),
  applied: z
    .object({
      appliedAt: z.string(),
      deletedPod: z
        .object({
          uid: z.string().optional(),
          owner: z.object({ kind: z.string(), name: z.string(), uid: z.string() }).optional(),
        })
        .optional(),
    })
    .optional(),
});

const LABELS = {
  'app.kubernetes.io/managed-by': 'foxhound-sandbox-manager',
  'foxhound.dev/action-execution': 'true',
};
const SELECTOR = Object.entries(LABELS)
  .map(([k, v]) => `${k}=${v}`)
  .join(',');

export const recordName = (proposalId: string): string =>
  `foxhound-action-${createHash('sha256').update(proposalId).digest('hex').slice(0, 24)}`;

export class ExecutionRecords {
  private readonly core: CoreV1Api;

  constructor(
    kubeConfig: KubeConfig,
    private readonly namespace: string,
  ) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
  }

  /** Creates the record; false when one already exists for this proposal. */
  async create(record: ExecutionRecord): Promise<boolean> {
    try {
      await this.core.createNamespacedConfigMap({
        namespace: this.namespace,
        body: this.toConfigMap(record),
      });
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw toKubeApiError(err, `record the execution of ${record.execution.proposalId}`);
    }
  }

  async get(proposalId: string): Promise<ExecutionRecord | undefined> {
    try {
      const cm = await this.core.readNamespacedConfigMap({
        name: recordName(proposalId),
        namespace: this.namespace,
      });
      return this.fromConfigMap(cm);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw toKubeApiError(err, `read the execution of ${proposalId}`);
    }
  }

  async save(record: ExecutionRecord): Promise<void> {
    const name = recordName(record.execution.proposalId);
    try {
      await this.core.replaceNamespacedConfigMap({
        name,
        namespace: this.namespace,
        body: this.toConfigMap(record),
      });
    } catch (err) {
      throw toKubeApiError(err, `save the execution of ${record.execution.proposalId}`);
    }
  }

  /** Executions the observer has not concluded (to pick up after a restart), and unreadable records. */
  async unfinished(): Promise<{ records: ExecutionRecord[]; unreadable: Error[] }> {
    let items: V1ConfigMap[];
    try {
      items = (
        await this.core.listNamespacedConfigMap({ namespace: this.namespace, labelSelector: SELECTOR })
      ).items;
    } catch (err) {
      throw toKubeApiError(err, 'list unfinished executions');
    }
    const records: ExecutionRecord[] = [];
    const unreadable: Error[] = [];
    for (const cm of items) {
      try {
        const record = this.fromConfigMap(cm);
        if (!record.execution.final) records.push(record);
      } catch (err) {
        unreadable.push(err as Error);
      }
    }
    return { records, unreadable };
  }

  private toConfigMap(record: ExecutionRecord): V1ConfigMap {
    const { execution, ...context } = record;
    return {
      metadata: {
        name: recordName(execution.proposalId),
        namespace: this.namespace,
        labels: LABELS,
        annotations: { 'foxhound.dev/proposal-id': execution.proposalId },
      },
      data: { 'execution.json': JSON.stringify(execution), 'context.json': JSON.stringify(context) },
    };
  }

  private fromConfigMap(cm: V1ConfigMap): ExecutionRecord {
    try {
      const execution = ActionExecutionSchema.parse(JSON.parse(cm.data?.['execution.json'] ?? ''));
      const context = ContextSchema.parse(JSON.parse(cm.data?.['context.json'] ?? ''));
      return { execution, ...context };
    } catch (err) {
      throw new Error(`execution record ConfigMap ${this.namespace}/${cm.metadata?.name} is unreadable`, {
        cause: err,
      });
    }
  }
}

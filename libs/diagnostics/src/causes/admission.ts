// Admission refusals: the FailedCreate events controllers record when the API server refuses their
// pods, each parsed once into what refused it (a ResourceQuota, a LimitRange, a webhook, Pod
// Security admission, a missing ServiceAccount) and shared by every analyzer that reasons about it.
import { type Evidence, type ObjectRef } from '@foxhound/contracts';
import { KIND_OF, type Lookup } from '../lookup';
import { type KubeEvent, type PodTemplateSpec } from '../snapshot';
import { evidence, eventTime } from '../util/finding';
import { refOf } from '../util/refs';
import { toMillis } from '../util/time';
import {
  type LimitRangeRefusal,
  type QuotaRefusal,
  describeQuotaLine,
  parseLimitRangeRefusal,
  parseQuotaRefusal,
  quotaArithmetic,
} from './quota';

export interface AdmissionRefusal {
  event: KubeEvent;
  /** The controller whose pod was refused. */
  owner: ObjectRef;
  message: string;
  quota?: QuotaRefusal;
  limitRange?: LimitRangeRefusal;
  /** Name of the webhook that denied the request or could not be called. */
  webhook?: { name: string; unreachable: boolean };
  podSecurity?: boolean;
  serviceAccount?: string;
}

function parse(event: KubeEvent): AdmissionRefusal | undefined {
  const message = event.message ?? '';
  const io = event.involvedObject;
  if (!io.kind || !io.name) return undefined;
  const refusal: AdmissionRefusal = {
    event,
    owner: { kind: io.kind, name: io.name, namespace: io.namespace },
    message,
  };
  const quota = parseQuotaRefusal(message);
  if (quota) refusal.quota = quota;
  const limitRange = parseLimitRangeRefusal(message);
  if (limitRange) refusal.limitRange = limitRange;
  const webhook = /(?:admission webhook|failed calling webhook) "([^"]+)"/.exec(message);
  if (webhook) refusal.webhook = { name: webhook[1], unreachable: /failed calling webhook/.test(message) };
  if (/violates PodSecurity/.test(message)) refusal.podSecurity = true;
  const sa =
    /(?:serviceaccount|service account) "?([\w.-]+)"? not found|error looking up service account [\w.-]+\/([\w.-]+)/i.exec(
      message,
    );
  if (sa) refusal.serviceAccount = sa[1] ?? sa[2];
  return refusal;
}

const memo = new WeakMap<Lookup, AdmissionRefusal[]>();

/** Every FailedCreate refusal in scope, newest first. */
export function admissionRefusals(l: Lookup): AdmissionRefusal[] {
  let refusals = memo.get(l);
  if (!refusals) {
    refusals = l
      .list('events')
      .filter((e) => e.reason === 'FailedCreate' && e.type !== 'Normal')
      .flatMap((e) => parse(e) ?? [])
      .sort((a, b) => (toMillis(eventTime(b.event)) ?? 0) - (toMillis(eventTime(a.event)) ?? 0));
    memo.set(l, refusals);
  }
  return refusals;
}

export interface RefusalExplanation {
  cause: string;
  evidence: Evidence[];
  culprit?: ObjectRef;
  confidence: number;
}

function webhookConfiguration(l: Lookup, name: string): ObjectRef | undefined {
  for (const kind of ['validatingWebhookConfigurations', 'mutatingWebhookConfigurations'] as const) {
    const config = l.list(kind).find((c) => c.webhooks?.some((w) => w.name === name));
    if (config) return { kind: KIND_OF[kind], name: config.metadata.name };
  }
  return undefined;
}

/** What refused the pod, with the arithmetic or the policy that did it. */
export function explainRefusal(
  l: Lookup,
  refusal: AdmissionRefusal,
  template?: PodTemplateSpec,
): RefusalExplanation {
  const namespace = refusal.owner.namespace ?? 'default';
  const ev: Evidence[] = [evidence.event(refusal.event)];
  if (refusal.quota) {
    const q = refusal.quota;
    const culprit: ObjectRef = { kind: 'ResourceQuota', name: q.quota, namespace };
    const quota = l.get('resourceQuotas', namespace, q.quota);
    if (q.mustSpecify.length) {
      ev.push(
        evidence.analysis(
          `ResourceQuota ${namespace}/${q.quota} tracks ${q.mustSpecify.join(', ')}; pods that do not set them are refused`,
          culprit,
        ),
      );
      return {
        cause: `ResourceQuota ${namespace}/${q.quota} refuses the pod because it does not specify ${q.mustSpecify.join(', ')}`,
        evidence: ev,
        culprit,
        confidence: 0.9,
      };
    }
    const lines =
      quota && template ? quotaArithmetic(quota, template.spec).filter((line) => line.exceeded) : [];
    const shown = lines.length ? lines : q.lines.filter((line) => line.exceeded);
    const arithmetic = (shown.length ? shown : q.lines).map(describeQuotaLine).join('; ');
    ev.push(evidence.analysis(`ResourceQuota ${namespace}/${q.quota}: ${arithmetic}`, culprit));
    return {
      cause: `ResourceQuota ${namespace}/${q.quota} is exhausted and refuses new pods (${arithmetic})`,
      evidence: ev,
      culprit,
      confidence: 0.95,
    };
  }
  if (refusal.limitRange) {
    const resources = refusal.limitRange.resources;
    const lr = l
      .list('limitRanges')
      .find(
        (x) =>
          x.metadata.namespace === namespace &&
          x.spec.limits.some((item) =>
            resources.some(
              (r) =>
                item.max?.[r] !== undefined ||
                item.min?.[r] !== undefined ||
                item.maxLimitRequestRatio?.[r] !== undefined,
            ),
          ),
      );
    const culprit = lr ? refOf('LimitRange', lr) : undefined;
    ev.push(
      evidence.analysis(
        `LimitRange${lr ? ` ${namespace}/${lr.metadata.name}` : ''}: ${refusal.limitRange.violations.join('; ')}`,
        culprit,
      ),
    );
    return {
      cause: `LimitRange${lr ? ` ${namespace}/${lr.metadata.name}` : ''} refuses the pod: ${refusal.limitRange.violations.join('; ')}`,
      evidence: ev,
      culprit,
      confidence: 0.92,
    };
  }
  if (refusal.webhook) {
    const culprit = webhookConfiguration(l, refusal.webhook.name);
    if (culprit)
      ev.push(
        evidence.analysis(
          `webhook ${refusal.webhook.name} belongs to ${culprit.kind} ${culprit.name}`,
          culprit,
        ),
      );
    const how = refusal.webhook.unreachable
      ? 'cannot be called, and its failure policy rejects the request'
      : 'denies the request';
    return {
      cause: `admission webhook ${refusal.webhook.name} ${how}`,
      evidence: ev,
      culprit,
      confidence: 0.9,
    };
  }
  if (refusal.podSecurity) {
    const culprit: ObjectRef = { kind: 'Namespace', name: namespace };
    const level = l.get('namespaces', undefined, namespace)?.metadata.labels?.[
      'pod-security.kubernetes.io/enforce'
    ];
    return {
      cause: `Pod Security admission${level ? ` (enforce=${level} on namespace ${namespace})` : ''} rejects the pod spec`,
      evidence: ev,
      culprit,
      confidence: 0.9,
    };
  }
  if (refusal.serviceAccount) {
    return {
      cause: `ServiceAccount ${namespace}/${refusal.serviceAccount} does not exist`,
      evidence: ev,
      confidence: 0.9,
    };
  }
  return { cause: `the API server refuses the pod: ${refusal.message}`, evidence: ev, confidence: 0.6 };
}

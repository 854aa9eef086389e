// The API server's validation of container resources (kubernetes pkg/apis/core/validation
// ValidateResourceRequirements) on pods and on the pod templates of workloads: a request above
// its limit is a 422 Invalid naming the field, the request and the limit as Kubernetes prints
// quantities: `Pod "web" is invalid: spec.containers[0].resources.requests: Invalid value: "2Gi":
// must be less than or equal to memory limit of 1Gi`. Several problems are listed in brackets.
import { errors, type StatusCause } from '../../api/status';
import { type AdmissionRequest } from '../../store';
import { formatQuantity, parseQuantity } from '../quota/quantity';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Where each resource keeps its pod spec. */
const POD_SPEC_PATHS: Record<string, string[]> = {
  pods: ['spec'],
  'deployments.apps': ['spec', 'template', 'spec'],
  'replicasets.apps': ['spec', 'template', 'spec'],
  'statefulsets.apps': ['spec', 'template', 'spec'],
  'daemonsets.apps': ['spec', 'template', 'spec'],
  'jobs.batch': ['spec', 'template', 'spec'],
  'cronjobs.batch': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  replicationcontrollers: ['spec', 'template', 'spec'],
};

export const VALIDATED_RESOURCES = Object.keys(POD_SPEC_PATHS);

function containerCauses(containers: Json[] | undefined, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  (containers ?? []).forEach((c, i) => {
    const requests: Json = c?.resources?.requests ?? {};
    const limits: Json = c?.resources?.limits ?? {};
    for (const [name, raw] of Object.entries(requests)) {
      const request = parseQuantity(raw);
      const limit = limits[name] === undefined ? undefined : parseQuantity(limits[name]);
      if (!request || !limit || request.nanos <= limit.nanos) continue;
      const field = `${path}[${i}].resources.requests`;
      causes.push({
        reason: 'FieldValueInvalid',
        field,
        message: `Invalid value: "${formatQuantity(request)}": must be less than or equal to ${name} limit of ${formatQuantity(limit)}`,
      });
    }
  });
  return causes;
}

/** Throws the 422 when a container of the object's pod spec requests more than its limit. */
export function validatePodResources(request: AdmissionRequest): void {
  const { resource, object } = request;
  if (!object || request.subresource) return;
  const key = resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
  const path = POD_SPEC_PATHS[key];
  if (!path) return;
  let spec: Json | undefined = object as Json;
  for (const p of path) spec = spec?.[p];
  if (!spec) return;
  const prefix = path.join('.');
  const causes = [
    ...containerCauses(spec.initContainers, `${prefix}.initContainers`),
    ...containerCauses(spec.containers, `${prefix}.containers`),
  ];
  if (causes.length) throw errors.invalid(resource, request.name, causes);
}

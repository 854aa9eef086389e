// The API server's Job and CronJob validation that a broken manifest meets first
// (pkg/apis/batch/validation): a CronJob's schedule must parse (./schedule.ts), and the pod
// template's restartPolicy must be OnFailure or Never. The
// template was defaulted before (restartPolicy Always when unset), so a Job without one is refused
// as a real cluster refuses it: `Job.batch "pi" is invalid: spec.template.spec.restartPolicy:
// Unsupported value: "Always": supported values: "OnFailure", "Never"`.
import { errors, type StatusCause } from '../../api/status';
import { type AdmissionRequest } from '../../store';
import { checkSchedule } from './schedule';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Where a Job's pod template sits in each kind that carries one. */
const TEMPLATE_PATHS: Record<string, string[]> = {
  'jobs.batch': ['spec', 'template'],
  'cronjobs.batch': ['spec', 'jobTemplate', 'spec', 'template'],
};

export function validateJobTemplate(request: AdmissionRequest): void {
  const { resource, object } = request;
  if (!object || request.subresource) return;
  const path = TEMPLATE_PATHS[`${resource.plural}.${resource.group}`];
  if (!path) return;
  const causes: StatusCause[] = [];
  const schedule = (object as Json).spec?.schedule;
  if (resource.plural === 'cronjobs' && !schedule) {
    causes.push({ reason: 'FieldValueRequired', field: 'spec.schedule', message: 'Required value' });
  } else if (resource.plural === 'cronjobs') {
    try {
      checkSchedule(String(schedule));
    } catch (err) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'spec.schedule',
        message: `Invalid value: "${String(schedule)}": ${(err as Error).message}`,
      });
    }
  }
  let template: Json | undefined = object as Json;
  for (const p of path) template = template?.[p];
  const policy = template?.spec?.restartPolicy ?? 'Always';
  if (policy !== 'OnFailure' && policy !== 'Never') {
    causes.push({
      reason: 'FieldValueNotSupported',
      field: `${path.join('.')}.spec.restartPolicy`,
      message: `Unsupported value: "${policy}": supported values: "OnFailure", "Never"`,
    });
  }
  if (causes.length) throw errors.invalid(resource, request.name, causes);
}

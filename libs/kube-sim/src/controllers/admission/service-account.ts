// The ServiceAccount admission plugin (kubernetes plugin/pkg/admission/serviceaccount/admission.go):
// a pod created in a namespace must name a ServiceAccount that exists there (`default` when it
// names none), or it is refused with the plugin's 403:
// `pods "web-7d9f8b6c5-" is forbidden: error looking up service account shop/web: serviceaccount "web" not found`.
// A ReplicaSet whose pods are refused shows it as its FailedCreate event. Mirror pods and the
// token volume it mounts are left out.
import { errors } from '../../api/status';
import { type AdmissionRequest, type KubeStore } from '../../store';
import { admissionName } from '../quota/admission';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function checkServiceAccount(store: KubeStore, request: AdmissionRequest): void {
  const pod = request.object as Json | undefined;
  const namespace = request.namespace;
  if (!pod || !namespace || request.subresource) return;
  const name: string = pod.spec?.serviceAccountName || pod.spec?.serviceAccount || 'default';
  if (store.find('serviceaccounts', namespace, name)) return;
  const podName = admissionName(request);
  throw errors.forbidden(
    `pods "${podName}" is forbidden: error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`,
    request.resource,
    podName,
  );
}

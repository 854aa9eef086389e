// Image references as the kubelet and containerd report them: the normalized name in
// containerStatuses (`docker.io/library/nginx:1.27`), a stable digest for `imageID`, references
// that do not parse, images a pod or scenario marks missing, and the kubelet's messages. What the
// registry holds is image-catalog.ts.
import { createHash } from 'node:crypto';
import { type KubeObject } from '../../types';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Pod annotation: `"true"` fails every image of the pod, otherwise a comma-separated list of references. */
export const FAIL_IMAGE_ANNOTATION = 'kube-sim.foxhound.dev/fail-image';

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REFERENCE = new RegExp(
  `^(?:[a-zA-Z0-9.-]+(?::\\d+)?/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`,
);

/** Why a reference does not parse, as containerd's reference parser says it; undefined when it does. */
export function invalidReference(image: string): string | undefined {
  if (REFERENCE.test(image)) return undefined;
  const lowercaseWouldDo = REFERENCE.test(image.replace(/^[^:@]+/, (p) => p.toLowerCase()));
  return lowercaseWouldDo
    ? 'invalid reference format: repository name (path) must be lowercase'
    : 'invalid reference format';
}

/** `nginx` → `docker.io/library/nginx:latest`, `ghcr.io/x/y:1` unchanged. */
export function normalizeImage(image: string): string {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let name = hasRegistry ? image : slash < 0 ? `docker.io/library/${image}` : `docker.io/${image}`;
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  if (!lastSegment.includes(':') && !name.includes('@')) name += ':latest';
  return name;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `<repository>@sha256:<digest>`, stable per reference. */
export function imageID(image: string): string {
  const normalized = normalizeImage(image);
  if (normalized.includes('@')) return normalized;
  const repository = normalized.replace(/:[^:/]+$/, '');
  return `${repository}@sha256:${sha256(normalized)}`;
}

export function containerID(podUid: string, container: string, attempt: number): string {
  return `containerd://${sha256(`${podUid}/${container}/${attempt}`)}`;
}

export function invalidNameMessage(image: string, why: string): string {
  return `Failed to apply default image tag "${image}": couldn't parse image name "${image}": ${why}`;
}

/** A Go time.Duration as the kubelet prints a pull time: `512ms`, `2.9s`. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  return `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
}

/** A plausible compressed size, stable per reference. */
export function imageSize(image: string): number {
  return 20_000_000 + (parseInt(sha256(image).slice(0, 8), 16) % 180_000_000);
}

/** Whether the pod's own annotation marks `image` as unpullable. */
export function annotatedMissing(pod: KubeObject, image: string): boolean {
  const value = pod.metadata.annotations?.[FAIL_IMAGE_ANNOTATION];
  if (!value) return false;
  return value.trim() === 'true' || value.split(',').some((v) => v.trim() === image);
}

/**
 * Adds to `missing` the images (normalized) a pod is stuck pulling, in ErrImagePull or
 * ImagePullBackOff. The kubelet learns from every pod it sees, a loaded scenario's included, so a
 * replayed ImagePullBackOff stays one when its pod is re-created; a fixed tag is another image.
 */
export function learnMissingImages(pod: KubeObject, missing: Set<string>): void {
  const status: Json = (pod as Json).status ?? {};
  for (const s of [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? [])] as Json[]) {
    const reason = s.state?.waiting?.reason;
    if ((reason === 'ErrImagePull' || reason === 'ImagePullBackOff') && typeof s.image === 'string') {
      missing.add(normalizeImage(s.image));
    }
  }
}

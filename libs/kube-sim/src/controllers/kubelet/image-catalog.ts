// The simulated registry's catalog: well-known public images with the tags they really publish
// (Docker Hub's tag lists: a version line, its patch releases, the variants such as `-alpine`),
// the user their image config runs as, and the rule for every other image:
// - a catalogued repository pulls only its real tags (`nginx:invalid-tag` → NotFound);
// - a one-word Docker Hub name a typo away from a catalogued one (`ngnix`, `busybx`) does not
//   exist (`pull access denied, repository does not exist...`);
// - any other image pulls (and runs as root unless known otherwise): private registries and the project's own test images (`web:1`,
//   `registry.example.com/shop/checkout:2.4.1`, an ECR repository) have whatever tags a test says,
//   unless the kubelet is told an image is missing (its `missingImages`, the pod's annotation, a
//   scenario showing it stuck).
// Messages are containerd's as the kubelet reports them. Pure data and lookups.
import { normalizeImage } from './images';

interface CatalogEntry {
  /** Normalized repository, `docker.io/library/nginx`. */
  repository: string;
  /** Released lines, `major.minor` with its highest patch, or `major` with its highest minor. */
  versions: Record<string, number>;
  /** Tags that float (`latest`, `stable`, `alpine`). */
  floating: string[];
  /** Suffixes a version may carry (`-alpine`, `-alpine3.20`), as a pattern. */
  variants?: RegExp;
  /** Major-only tags exist (`postgres:16`, `node:22`). */
  majorTags?: boolean;
  /** The image config's user id (0: root). */
  user: number;
}

const lines = (from: number, to: number, major: number, maxPatch: number): Record<string, number> =>
  Object.fromEntries(Array.from({ length: to - from + 1 }, (_, i) => [`${major}.${from + i}`, maxPatch]));

const LIBRARY = 'docker.io/library/';
const NGINX_VERSIONS = { ...lines(9, 29, 1, 28) };
const NGINX_VARIANTS =
  /^-(?:alpine|perl|alpine-perl|alpine-slim|alpine-otel|otel|bookworm|bookworm-perl|bullseye)?$/;

export const IMAGE_CATALOG: CatalogEntry[] = [
  {
    repository: `${LIBRARY}nginx`,
    versions: NGINX_VERSIONS,
    floating: [
      'latest',
      'stable',
      'mainline',
      'alpine',
      'perl',
      'alpine-slim',
      'stable-alpine',
      'mainline-alpine',
      'bookworm',
    ],
    variants: NGINX_VARIANTS,
    majorTags: true,
    user: 0,
  },
  {
    repository: 'docker.io/nginxinc/nginx-unprivileged',
    versions: NGINX_VERSIONS,
    floating: ['latest', 'stable', 'mainline', 'alpine', 'alpine-slim', 'stable-alpine', 'mainline-alpine'],
    variants: NGINX_VARIANTS,
    user: 101,
  },
  {
    repository: `${LIBRARY}busybox`,
    versions: lines(21, 37, 1, 4),
    floating: ['latest', 'stable', 'musl', 'glibc', 'uclibc'],
    variants: /^-(?:musl|glibc|uclibc)$/,
    majorTags: true,
    user: 0,
  },
  {
    repository: `${LIBRARY}alpine`,
    versions: lines(10, 22, 3, 6),
    floating: ['latest', 'edge'],
    majorTags: true,
    user: 0,
  },
  {
    repository: `${LIBRARY}redis`,
    versions: { '5.0': 14, '6.0': 20, '6.2': 19, '7.0': 15, '7.2': 10, '7.4': 5, '8.0': 3, '8.2': 2 },
    floating: ['latest', 'alpine', 'bookworm'],
    variants: /^-(?:alpine(?:3\.\d{1,2})?|bookworm|bullseye)$/,
    majorTags: true,
    user: 0,
  },
  {
    repository: `${LIBRARY}postgres`,
    versions: {
      ...Object.fromEntries(['12', '13', '14', '15', '16', '17', '18'].map((m) => [m, 22])),
    },
    floating: ['latest', 'alpine', 'bookworm'],
    variants: /^-(?:alpine(?:3\.\d{1,2})?|bookworm|bullseye|trixie)$/,
    majorTags: true,
    user: 0,
  },
  {
    repository: `${LIBRARY}mysql`,
    versions: { '5.7': 44, '8.0': 43, '8.4': 6, '9.0': 1, '9.1': 0, '9.2': 0, '9.3': 0, '9.4': 0 },
    floating: ['latest', 'lts', 'innovation', 'oracle', 'debian'],
    variants: /^-(?:oracle|debian|bookworm)$/,
    majorTags: true,
    user: 0,
  },
  {
    repository: `${LIBRARY}httpd`,
    versions: { '2.4': 65 },
    floating: ['latest', 'alpine', 'bookworm'],
    variants: /^-(?:alpine(?:3\.\d{1,2})?|bookworm)$/,
    majorTags: true,
    user: 0,
  },
  {
    repository: `${LIBRARY}python`,
    versions: lines(8, 14, 3, 13),
    floating: ['latest', 'slim', 'alpine', 'bookworm', 'slim-bookworm'],
    variants: /^-(?:slim|alpine(?:3\.\d{1,2})?|bookworm|bullseye|slim-bookworm|slim-bullseye)$/,
    majorTags: true,
    user: 0,
  },
  {
    repository: `${LIBRARY}node`,
    versions: Object.fromEntries(['18', '19', '20', '21', '22', '23', '24'].map((m) => [m, 20])),
    floating: ['latest', 'lts', 'current', 'alpine', 'slim', 'bookworm', 'lts-alpine', 'lts-slim'],
    variants: /^-(?:alpine(?:3\.\d{1,2})?|slim|bookworm|bullseye|bookworm-slim|bullseye-slim)$/,
    majorTags: true,
    user: 0,
  },
  {
    repository: 'registry.k8s.io/pause',
    versions: { '3.1': 0, '3.2': 0, '3.5': 0, '3.6': 0, '3.7': 0, '3.8': 0, '3.9': 0, '3.10': 0 },
    floating: ['latest'],
    user: 65535,
  },
];

const BY_REPOSITORY = new Map(IMAGE_CATALOG.map((e) => [e.repository, e]));

/** Whether `tag` is one the repository publishes. A version line's `.0` is its first release. */
function publishes(entry: CatalogEntry, tag: string): boolean {
  if (entry.floating.includes(tag)) return true;
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(tag);
  if (!m) return false;
  const [, major, minor, patch, variant] = m;
  if (variant && !entry.variants?.test(variant)) return false;
  if (minor === undefined) {
    // `16`, `22-alpine`: a major-only tag, or a version line named by one number (postgres).
    return Boolean(
      entry.majorTags && Object.keys(entry.versions).some((v) => v === major || v.startsWith(`${major}.`)),
    );
  }
  const line = `${major}.${minor}`;
  if (line in entry.versions) return patch === undefined || Number(patch) <= entry.versions[line];
  // Lines named by one number carry their highest minor: postgres `16.4`, node `22.11.0`.
  return major in entry.versions && Number(minor) <= entry.versions[major];
}

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment), as typos go. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

function split(normalized: string): { repository: string; tag?: string } {
  const at = normalized.indexOf('@');
  if (at >= 0) return { repository: normalized.slice(0, at) };
  const colon = normalized.lastIndexOf(':');
  return { repository: normalized.slice(0, colon), tag: normalized.slice(colon + 1) };
}

/** containerd's error for a reference the registry does not have, or undefined when it pulls. */
export function catalogPullError(image: string): string | undefined {
  const ref = normalizeImage(image);
  const { repository, tag } = split(ref);
  const entry = BY_REPOSITORY.get(repository);
  if (entry) return tag === undefined || publishes(entry, tag) ? undefined : notFound(ref);
  if (repository.startsWith(LIBRARY)) {
    const word = repository.slice(LIBRARY.length);
    const near = IMAGE_CATALOG.some((e) => {
      const known = e.repository.startsWith(LIBRARY) ? e.repository.slice(LIBRARY.length) : undefined;
      return known !== undefined && word.length >= 4 && distance(word, known) <= (known.length > 5 ? 2 : 1);
    });
    if (near) return accessDenied(ref);
  }
  return undefined;
}

/**
 * Images outside the catalog whose image config sets a non-root USER (their Dockerfiles:
 * distroless `:nonroot` 65532, Bitnami 1001). Every other image runs as root, as most do.
 */
const NON_ROOT = [/^gcr\.io\/distroless\/[^:]+:(?:[\w.-]+-)?nonroot$/, /^docker\.io\/bitnami\//];

/** Whether the image's configured user is root (uid 0), for the kubelet's runAsNonRoot check. */
export function runsAsRoot(image: string): boolean {
  const ref = normalizeImage(image);
  const entry = BY_REPOSITORY.get(split(ref).repository);
  if (entry) return entry.user === 0;
  return !NON_ROOT.some((r) => r.test(ref));
}

export function notFound(ref: string): string {
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
}

function accessDenied(ref: string): string {
  return `rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
}

// Where a GitOps-managed object is declared: from the tracking on the object to the Argo CD
// Application (spec.source: repoURL, path, targetRevision) or the Flux Kustomization (spec.path)
// and its GitRepository (spec.url, spec.ref.branch), read through the manager's read-only
// identity. Only GitHub repositories (github.com or the configured Enterprise host) and a single
// source are supported; anything else is a refusal that says so.
import { gitOpsOwnerRefOf } from '@foxhound/contracts';
import { type KubeClient } from '@foxhound/kube';
import { getOrUndefined } from '../actions/target';
import { type RepoRef } from './github';

export interface GitSource extends RepoRef {
  /** The branch the controller follows; undefined: the repository's default branch. */
  branch?: string;
  /** The directory the controller applies, without leading `./` or `/` (empty: the root). */
  path: string;
  /** "Application argocd/shop", "Kustomization flux-system/apps → GitRepository flux-system/fleet". */
  via: string;
}

export interface SourceOptions {
  /** Where Argo CD's Application objects live (its install namespace). */
  argoCdNamespace: string;
  /** Git hosts taken as GitHub: `github.com` and any GitHub Enterprise Server host. */
  githubHosts: readonly string[];
}

type Meta = { labels?: Record<string, string>; annotations?: Record<string, string> };
const enc = encodeURIComponent;

export async function gitSourceOf(
  client: KubeClient,
  meta: Meta,
  objectNamespace: string,
  options: SourceOptions,
): Promise<GitSource | { refusal: string }> {
  const owner = gitOpsOwnerRefOf(meta);
  if (!owner) return { refusal: 'no Argo CD Application or Flux Kustomization manages the target.' };
  if (owner.kind === 'HelmRelease')
    return {
      refusal: `a Flux HelmRelease (${owner.namespace ?? objectNamespace}/${owner.name}) renders it from chart values; editing Helm values in a pull request is not built.`,
    };
  if (owner.kind === 'Application') {
    const ns = options.argoCdNamespace;
    const app = await getOrUndefined<{
      spec?: {
        source?: { repoURL?: string; path?: string; targetRevision?: string; chart?: string };
        sources?: unknown[];
      };
    }>(client, `/apis/argoproj.io/v1alpha1/namespaces/${enc(ns)}/applications/${enc(owner.name)}`);
    const via = `Application ${ns}/${owner.name}`;
    if (!app) return { refusal: `${via} does not exist (ARGOCD_NAMESPACE is ${ns}).` };
    if (app.spec?.sources?.length)
      return { refusal: `${via} has several sources; a pull request needs one.` };
    const source = app.spec?.source;
    if (!source?.repoURL) return { refusal: `${via} names no source repository.` };
    if (source.chart)
      return {
        refusal: `${via} installs Helm chart ${source.chart}; editing Helm values in a pull request is not built.`,
      };
    const repo = githubRepo(source.repoURL, options.githubHosts);
    if (!repo)
      return {
        refusal: `${via} reads ${source.repoURL}, which is not a GitHub repository Foxhound can open pull requests on.`,
      };
    const revision = source.targetRevision;
    return {
      ...repo,
      ...(revision && revision !== 'HEAD' && !/^[0-9a-f]{40}$/.test(revision) ? { branch: revision } : {}),
      path: cleanPath(source.path),
      via,
    };
  }
  const ns = owner.namespace ?? objectNamespace;
  const kustomization = await getOrUndefined<{
    spec?: { path?: string; sourceRef?: { kind?: string; name?: string; namespace?: string } };
  }>(client, `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${enc(ns)}/kustomizations/${enc(owner.name)}`);
  const via = `Kustomization ${ns}/${owner.name}`;
  if (!kustomization) return { refusal: `${via} does not exist.` };
  const ref = kustomization.spec?.sourceRef;
  if (ref?.kind !== 'GitRepository' || !ref.name)
    return {
      refusal: `${via} reads a ${ref?.kind ?? 'missing'} source; only a GitRepository can take a pull request.`,
    };
  const repoNs = ref.namespace ?? ns;
  const gitRepository = await getOrUndefined<{ spec?: { url?: string; ref?: { branch?: string } } }>(
    client,
    `/apis/source.toolkit.fluxcd.io/v1/namespaces/${enc(repoNs)}/gitrepositories/${enc(ref.name)}`,
  );
  const chain = `${via} → GitRepository ${repoNs}/${ref.name}`;
  if (!gitRepository?.spec?.url)
    return { refusal: `${chain}: the GitRepository does not exist or names no URL.` };
  const repo = githubRepo(gitRepository.spec.url, options.githubHosts);
  if (!repo)
    return {
      refusal: `${chain} reads ${gitRepository.spec.url}, which is not a GitHub repository Foxhound can open pull requests on.`,
    };
  const branch = gitRepository.spec.ref?.branch;
  return { ...repo, ...(branch ? { branch } : {}), path: cleanPath(kustomization.spec?.path), via: chain };
}

/** `https://github.com/o/r(.git)`, `git@github.com:o/r.git`, `ssh://git@github.com/o/r` → o/r on an allowed host. */
export function githubRepo(url: string, hosts: readonly string[]): RepoRef | undefined {
  const m =
    url.match(/^(?:https:\/\/|ssh:\/\/git@)([^/:@]+)\/([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/) ??
    url.match(/^git@([^/:]+):([\w.-]+)\/([\w.-]+?)(?:\.git)?$/);
  if (!m || !hosts.includes(m[1]!) || [m[2], m[3]].some((part) => /^\.+$/.test(part!))) return undefined;
  return { owner: m[2]!, repo: m[3]! };
}

/** The path without `./`, leading or trailing slashes; `..` anywhere is refused by the caller (undefined). */
function cleanPath(path: string | undefined): string {
  return (path ?? '')
    .replace(/^\.?\/+/, '')
    .replace(/\/+$/, '')
    .replace(/^\.$/, '');
}

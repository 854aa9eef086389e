// The pull-request lane: an approved typed edit on an object Argo CD or Flux manages becomes a
// pull request against the repository that declares it, and nothing is written to the cluster.
// The object's tracking leads to its source (source.ts), the token comes from the named Secret
// (token.ts), the edit is made on the manifest at the base branch's head (manifest-edit.ts), then
// committed to a branch named after the proposal and opened as a pull request whose description
// carries the investigation's evidence. Idempotent per proposal: a repeat finds the branch and the
// pull request already there. progress() follows it: open, merged, synced by the controller.
import {
  actionTargetKind,
  applyEdit,
  describeEdit,
  type EditAction,
  type EditableObject,
  type Evidence,
} from '@foxhound/contracts';
import { type KubeClient } from '@foxhound/kube';
import { readTarget } from '../actions/target';
import { GitHub, GitHubError, type PullRequest } from './github';
import { editManifest } from './manifest-edit';
import { gitSourceOf, type GitSource, type SourceOptions } from './source';
import { readToken, type SecretKeyRef } from './token';

export interface PullRequestLaneOptions {
  /** The manager's own read-only identity: the target, the GitOps objects, the token Secret. */
  client: KubeClient;
  source: SourceOptions;
  tokenSecret: SecretKeyRef;
  githubApiUrl: string;
  fetch?: typeof fetch;
}

export interface PullRequestRequest {
  proposalId: string;
  action: EditAction;
  summary: string;
  evidence: Evidence[];
  expectedEffect: string;
  approvedBy: string;
}

export type PullRequestOutcome =
  | { refusal: string }
  | { pullRequest: PullRequest; created: boolean; file: string; source: GitSource; change: string };

/** Manifest files read in one directory at most, before giving up. */
const MAX_FILES = 100;

export async function openPullRequest(
  options: PullRequestLaneOptions,
  request: PullRequestRequest,
): Promise<PullRequestOutcome> {
  const { action } = request;
  const kind = actionTargetKind(action);
  const what = `${action.type} ${action.namespace}/${action.name}`;
  const refuse = (reason: string) => ({ refusal: `${what}: ${reason}` });
  const target = await readTarget(options.client, action);
  if (!target) return refuse(`the target ${kind} does not exist.`);
  const source = await gitSourceOf(options.client, target.metadata, action.namespace, options.source);
  if ('refusal' in source) return refuse(source.refusal);
  if (source.path.split('/').includes('..'))
    return refuse(`${source.via} names a path outside its repository.`);
  const token = await readToken(options.client, options.tokenSecret);
  if (typeof token !== 'string') return refuse(token.refusal);
  const gh = new GitHub({ apiUrl: options.githubApiUrl, token, fetch: options.fetch });
  const repo = { owner: source.owner, repo: source.repo };
  const head = branchFor(request.proposalId);
  try {
    const existing = await gh.findPullRequest(repo, head);
    if (existing)
      return { pullRequest: existing, created: false, file: '', source, change: describeEdit(action) };
    const base = source.branch ?? (await gh.defaultBranch(repo));
    const baseSha = await gh.branchHead(repo, base);
    const declared = { kind, namespace: action.namespace, name: action.name };
    const found = await findManifest(gh, repo, source, baseSha, action, declared);
    if ('refusal' in found) return refuse(found.refusal);
    // A branch left by an attempt that died before its pull request: edit the file as it is there.
    const { file } = found;
    let { sha } = found;
    let edited: { text: string } | undefined = found.edited;
    if (!(await gh.createBranch(repo, head, baseSha))) {
      const onBranch = await gh.readFile(repo, file, head);
      const again = editManifest(onBranch.text, action, declared);
      sha = onBranch.sha;
      edited = again && 'text' in again ? again : undefined;
    }
    if (edited)
      await gh.commitFile(repo, {
        path: file,
        branch: head,
        text: edited.text,
        sha,
        message: `${action.type} ${action.namespace}/${action.name}\n\n${describeEdit(action)}.\nApproved by ${request.approvedBy} (Foxhound proposal ${request.proposalId}).`,
      });
    const pullRequest = await gh.openPullRequest(repo, {
      title: `${request.summary}`.slice(0, 240),
      head,
      base,
      body: description(request, source, file),
    });
    return { pullRequest, created: true, file, source, change: describeEdit(action) };
  } catch (err) {
    if (err instanceof GitHubError && err.status === 409)
      return refuse(
        `the manifest changed in ${source.owner}/${source.repo} while the pull request was prepared (${err.message}); nothing was opened. Approve again to propose it on the new version.`,
      );
    if (err instanceof GitHubError) return refuse(err.message);
    throw err;
  }
}

/** Where a pull request stands, and whether the controller has synced the merged change. */
export async function pullRequestProgress(
  options: PullRequestLaneOptions,
  request: { action: EditAction; source: GitSource; number: number },
): Promise<{ state: 'open' | 'merged' | 'closed'; synced: boolean; url: string }> {
  const token = await readToken(options.client, options.tokenSecret);
  if (typeof token !== 'string') throw new Error(token.refusal);
  const gh = new GitHub({ apiUrl: options.githubApiUrl, token, fetch: options.fetch });
  const pr = await gh.getPullRequest(request.source, request.number);
  const state = pr.merged ? 'merged' : pr.state;
  if (state !== 'merged') return { state, synced: false, url: pr.url };
  // Synced: the live object already says what the edit says (applying it again changes nothing).
  const live = await readTarget(options.client, request.action);
  const again = live ? applyEdit(request.action, live as EditableObject) : undefined;
  const synced = again !== undefined && 'refusal' in again && again.refusal.startsWith('it changes nothing');
  return { state, synced, url: pr.url };
}

/** `git check-ref-format`-safe: the proposal id with anything else turned into `-`. */
export const branchFor = (proposalId: string) =>
  `foxhound/${proposalId
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/[.]$/, '')}`;

async function findManifest(
  gh: GitHub,
  repo: { owner: string; repo: string },
  source: GitSource,
  ref: string,
  action: EditAction,
  declared: { kind: string; namespace: string; name: string },
): Promise<{ file: string; sha: string; edited: { text: string } } | { refusal: string }> {
  const entries = await gh.listDirectory(repo, source.path, ref);
  const where = `${source.owner}/${source.repo}/${source.path || '.'}`;
  const manifests = entries.filter((e) => e.type === 'file' && /\.ya?ml$/.test(e.name)).slice(0, MAX_FILES);
  for (const entry of manifests) {
    if (/^(kustomization|Chart|values)\.ya?ml$/.test(entry.name)) continue;
    const { text, sha } = await gh.readFile(repo, entry.path, ref);
    const edited = editManifest(text, action, declared);
    if (!edited) continue;
    if ('refusal' in edited)
      return {
        refusal: edited.refusal.startsWith('it changes nothing')
          ? `${entry.path} already declares it: the change is in Git and waits for ${source.via} to sync.`
          : `${entry.path}: ${edited.refusal}`,
      };
    return { file: entry.path, sha, edited };
  }
  const names = new Set(entries.map((e) => e.name));
  if (names.has('Chart.yaml'))
    return { refusal: `${where} is a Helm chart; editing its values in a pull request is not built.` };
  if (names.has('kustomization.yaml') || names.has('kustomization.yml'))
    return {
      refusal: `no manifest directly in ${where} declares ${declared.kind} ${declared.name}: Kustomize builds it from a base or a patch elsewhere, and editing those is not built.`,
    };
  return { refusal: `no manifest directly in ${where} declares ${declared.kind} ${declared.name}.` };
}

function description(request: PullRequestRequest, source: GitSource, file: string): string {
  const evidence = request.evidence
    .slice(0, 20)
    .map((e) => `- ${e.source}: ${e.excerpt.replace(/\s+/g, ' ').slice(0, 500)}`)
    .join('\n');
  return [
    request.summary,
    '',
    `**Change** (${file}): ${describeEdit(request.action)}.`,
    `**Expected effect:** ${request.expectedEffect}`,
    '',
    '**Evidence**',
    evidence || '- (none recorded)',
    '',
    `${source.via} applies this file; the fix lasts once it syncs. Foxhound changed nothing in the cluster.`,
    `Approved by ${request.approvedBy}; Foxhound proposal \`${request.proposalId}\`.`,
  ].join('\n');
}

// The pull-request lane end to end: kube-sim (RBAC on) holds an Argo CD Application and a Flux
// Kustomization with its GitRepository, the Deployments they manage and the token Secret; a local
// fake of the GitHub REST API over HTTP holds the repository. The manager's identity may read the
// targets, the GitOps objects and that one Secret, and write nothing: the proposal becomes a
// branch, a commit of the edited manifest (comments kept) and a pull request with the evidence.
import { type EditAction } from '@foxhound/contracts';
import { createKubeClient, type KubeClient } from '@foxhound/kube';
import { type KubeSim, startKubeSim } from '@foxhound/kube-sim';
import { startFakeGitHub, type FakeGitHub } from '../testing/fake-github';
import { openPullRequest, pullRequestProgress, type PullRequestLaneOptions } from './open';

const TOKEN = 'ghp_fake000000000000000000000000000000';
const READER = 'reader-token-000000001';
const MANIFEST = `# The shop's web tier.
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
# Owned by team-web; image bumps go through Renovate.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: shop/web:1.4.2 # pinned by Renovate
          resources:
            limits:
              memory: 128Mi # too small since 1.4
`;

let sim: KubeSim;
let client: KubeClient;
let github: FakeGitHub;
let ids = 0;

const crd = (group: string, kind: string, plural: string, version: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { kind, plural, singular: kind.toLowerCase() },
    versions: [{ name: version, served: true, storage: true }],
  },
});

function deployment(namespace: string, labels: Record<string, string>) {
  sim.store.create('deployments.apps', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace, labels: { app: 'web', ...labels } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'web', image: 'shop/web:1.4.2', resources: { limits: { memory: '128Mi' } } }],
        },
      },
    },
  } as never);
}

beforeAll(async () => {
  sim = await startKubeSim({
    tokens: [{ token: READER, user: 'system:serviceaccount:foxhound:foxhound-sandbox-manager' }],
    authorization: 'rbac',
  });
  for (const name of ['shop', 'flux-shop', 'argocd', 'flux-system', 'foxhound'])
    sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  sim.store.create(
    'customresourcedefinitions.apiextensions.k8s.io',
    crd('argoproj.io', 'Application', 'applications', 'v1alpha1') as never,
  );
  sim.store.create(
    'customresourcedefinitions.apiextensions.k8s.io',
    crd('kustomize.toolkit.fluxcd.io', 'Kustomization', 'kustomizations', 'v1') as never,
  );
  sim.store.create(
    'customresourcedefinitions.apiextensions.k8s.io',
    crd('source.toolkit.fluxcd.io', 'GitRepository', 'gitrepositories', 'v1') as never,
  );
  const app = (name: string, source: Record<string, unknown>) =>
    sim.store.create('applications.argoproj.io', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name, namespace: 'argocd' },
      spec: { source, destination: { namespace: 'shop' } },
    } as never);
  app('shop', { repoURL: 'https://github.com/acme/deploy.git', path: './apps/shop', targetRevision: 'main' });
  app('shop-chart', { repoURL: 'https://github.com/acme/deploy.git', chart: 'web', targetRevision: '1.0.0' });
  app('shop-kustomize', { repoURL: 'git@github.com:acme/deploy.git', path: 'overlays/prod' });
  sim.store.create('kustomizations.kustomize.toolkit.fluxcd.io', {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: 'flux-system' },
    spec: { path: './apps/shop', sourceRef: { kind: 'GitRepository', name: 'fleet' } },
  } as never);
  sim.store.create('gitrepositories.source.toolkit.fluxcd.io', {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: 'fleet', namespace: 'flux-system' },
    spec: { url: 'https://github.com/acme/deploy', ref: { branch: 'main' } },
  } as never);
  sim.store.create('secrets', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'foxhound-github', namespace: 'foxhound' },
    data: { token: Buffer.from(TOKEN).toString('base64') },
  } as never);
  // The manager's rights for this lane: reads, and exactly one Secret.
  const rbac = 'rbac.authorization.k8s.io/v1';
  const subjects = [{ kind: 'ServiceAccount', name: 'foxhound-sandbox-manager', namespace: 'foxhound' }];
  sim.store.create('clusterroles.rbac.authorization.k8s.io', {
    apiVersion: rbac,
    kind: 'ClusterRole',
    metadata: { name: 'reader' },
    rules: [
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
      { apiGroups: ['argoproj.io'], resources: ['applications'], verbs: ['get'] },
      { apiGroups: ['kustomize.toolkit.fluxcd.io'], resources: ['kustomizations'], verbs: ['get'] },
      { apiGroups: ['source.toolkit.fluxcd.io'], resources: ['gitrepositories'], verbs: ['get'] },
    ],
  } as never);
  sim.store.create('clusterrolebindings.rbac.authorization.k8s.io', {
    apiVersion: rbac,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'reader' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'reader' },
    subjects,
  } as never);
  sim.store.create('roles.rbac.authorization.k8s.io', {
    apiVersion: rbac,
    kind: 'Role',
    metadata: { name: 'git-token', namespace: 'foxhound' },
    rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['foxhound-github'] }],
  } as never);
  sim.store.create('rolebindings.rbac.authorization.k8s.io', {
    apiVersion: rbac,
    kind: 'RoleBinding',
    metadata: { name: 'git-token', namespace: 'foxhound' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'git-token' },
    subjects,
  } as never);
  deployment('shop', { 'argocd.argoproj.io/instance': 'shop' });
  deployment('flux-shop', {
    'kustomize.toolkit.fluxcd.io/name': 'apps',
    'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
  });
  client = createKubeClient({ from: 'object', config: sim.kubeconfig({ token: READER }) });
});
afterAll(() => sim.close());

beforeEach(async () => {
  github = await startFakeGitHub({
    owner: 'acme',
    repo: 'deploy',
    token: TOKEN,
    files: {
      'apps/shop/web.yaml': MANIFEST,
      'apps/shop/README.md': 'not a manifest',
      'overlays/prod/kustomization.yaml': 'resources: [../../base]\n',
      'charts/web/Chart.yaml': 'name: web\n',
    },
  });
});
afterEach(() => github.close());

const options = (): PullRequestLaneOptions => ({
  client,
  source: { argoCdNamespace: 'argocd', githubHosts: ['github.com'] },
  tokenSecret: { namespace: 'foxhound', name: 'foxhound-github', key: 'token' },
  githubApiUrl: github.apiUrl,
});

const raiseMemory = (namespace = 'shop'): EditAction => ({
  type: 'PatchContainerResources',
  namespace,
  name: 'web',
  kind: 'Deployment',
  container: 'web',
  limits: { memory: '512Mi' },
});

const request = (action: EditAction) => ({
  proposalId: `inv-1:p${++ids}`,
  action,
  summary: 'Raise the memory limit of web to 512Mi: it is OOMKilled at 128Mi',
  evidence: [{ source: 'event' as const, excerpt: 'Container web was OOMKilled (exit code 137)' }],
  expectedEffect: 'web stops being OOMKilled.',
  approvedBy: 'key:alice',
});

describe('the pull-request lane', () => {
  it('opens a pull request editing the manifest in place, with the evidence, and writes nothing to the cluster', async () => {
    const before = (
      await client.getJson<{ metadata: { resourceVersion: string } }>(
        '/apis/apps/v1/namespaces/shop/deployments/web',
      )
    ).metadata.resourceVersion;
    const req = request(raiseMemory());
    const outcome = await openPullRequest(options(), req);
    const branch = `foxhound/inv-1-p${ids}`;
    expect(outcome).toMatchObject({
      created: true,
      file: 'apps/shop/web.yaml',
      pullRequest: { number: 1, state: 'open', merged: false, head: branch, base: 'main' },
      source: {
        owner: 'acme',
        repo: 'deploy',
        branch: 'main',
        path: 'apps/shop',
        via: 'Application argocd/shop',
      },
    });
    expect(github.files(branch)!['apps/shop/web.yaml']).toBe(
      MANIFEST.replace('memory: 128Mi # too small since 1.4', 'memory: 512Mi # too small since 1.4'),
    );
    expect(github.files('main')!['apps/shop/web.yaml']).toBe(MANIFEST);
    expect(github.pulls[0]!.body).toContain('- event: Container web was OOMKilled (exit code 137)');
    expect(github.pulls[0]!.body).toContain(
      `Approved by key:alice; Foxhound proposal \`${req.proposalId}\`.`,
    );
    expect(new Set(github.requests.map((r) => r.authorization))).toStrictEqual(new Set([`Bearer ${TOKEN}`]));
    const after = (
      await client.getJson<{ metadata: { resourceVersion: string } }>(
        '/apis/apps/v1/namespaces/shop/deployments/web',
      )
    ).metadata.resourceVersion;
    expect(after).toBe(before);

    // Asked again, it finds the same pull request and commits nothing more.
    const commits = github.requests.filter((r) => r.method === 'PUT').length;
    const again = await openPullRequest(options(), req);
    expect(again).toMatchObject({ created: false, pullRequest: { number: 1 } });
    expect(github.requests.filter((r) => r.method === 'PUT').length).toBe(commits);
    expect(github.pulls).toHaveLength(1);

    // Followed: open, then merged; synced once the live object says what the edit says.
    const follow = {
      action: raiseMemory(),
      source: { owner: 'acme', repo: 'deploy', path: 'apps/shop', via: '' },
      number: 1,
    };
    expect(await pullRequestProgress(options(), follow)).toMatchObject({ state: 'open', synced: false });
    github.pulls[0]!.merged = true;
    expect(await pullRequestProgress(options(), follow)).toMatchObject({ state: 'merged', synced: false });
    const live = structuredClone(sim.store.find('deployments.apps', 'shop', 'web')) as unknown as {
      spec: { template: { spec: { containers: { resources: object }[] } } };
    };
    live.spec.template.spec.containers[0]!.resources = { limits: { memory: '512Mi' } };
    sim.store.update('deployments.apps', live as never);
    expect(await pullRequestProgress(options(), follow)).toMatchObject({ state: 'merged', synced: true });
  });

  it('follows a Flux Kustomization to its GitRepository', async () => {
    const outcome = await openPullRequest(options(), request(raiseMemory('flux-shop')));
    expect(outcome).toMatchObject({
      created: true,
      source: { via: 'Kustomization flux-system/apps → GitRepository flux-system/fleet', path: 'apps/shop' },
    });
  });

  it('refuses, opening nothing, when the manifest moves on the branch while it is prepared', async () => {
    github.beforeCommit = () => {
      github.beforeCommit = undefined;
      github.push(`foxhound/inv-1-p${ids}`, { 'apps/shop/web.yaml': `${MANIFEST}# moved\n` });
    };
    const outcome = await openPullRequest(options(), request(raiseMemory()));
    expect(outcome).toStrictEqual({
      refusal: expect.stringMatching(
        /^PatchContainerResources shop\/web: the manifest changed in acme\/deploy while the pull request was prepared \(GitHub refused PUT \/repos\/acme\/deploy\/contents\/apps\/shop\/web\.yaml \(HTTP 409: apps\/shop\/web\.yaml does not match [0-9a-f]{40}\)\.\); nothing was opened\. Approve again to propose it on the new version\.$/,
      ),
    });
    expect(github.pulls).toHaveLength(0);
  });

  it.each([
    [
      'an Application that installs a Helm chart',
      'shop-chart',
      'PatchContainerResources shop/web: Application argocd/shop-chart installs Helm chart web; editing Helm values in a pull request is not built.',
    ],
    [
      'a Kustomize overlay that builds the object from elsewhere',
      'shop-kustomize',
      'PatchContainerResources shop/web: no manifest directly in acme/deploy/overlays/prod declares Deployment web: Kustomize builds it from a base or a patch elsewhere, and editing those is not built.',
    ],
    [
      'an Application that does not exist',
      'gone',
      'PatchContainerResources shop/web: Application argocd/gone does not exist (ARGOCD_NAMESPACE is argocd).',
    ],
  ])('refuses %s with the reason', async (_name, app, refusal) => {
    sim.store.update('deployments.apps', {
      ...(sim.store.find('deployments.apps', 'shop', 'web') as object),
      metadata: {
        ...(sim.store.find('deployments.apps', 'shop', 'web') as { metadata: object }).metadata,
        labels: { app: 'web', 'argocd.argoproj.io/instance': app },
      },
    } as never);
    try {
      expect(await openPullRequest(options(), request(raiseMemory()))).toStrictEqual({ refusal });
      expect(github.pulls).toHaveLength(0);
    } finally {
      const live = structuredClone(sim.store.find('deployments.apps', 'shop', 'web')) as unknown as {
        metadata: object;
      };
      sim.store.update('deployments.apps', {
        ...live,
        metadata: { ...live.metadata, labels: { app: 'web', 'argocd.argoproj.io/instance': 'shop' } },
      } as never);
    }
  });

  it('says the change waits for a sync when Git declares it already', async () => {
    github.push('main', { 'apps/shop/web.yaml': MANIFEST.replace('memory: 128Mi', 'memory: 512Mi') });
    expect(await openPullRequest(options(), request(raiseMemory()))).toStrictEqual({
      refusal:
        'PatchContainerResources shop/web: apps/shop/web.yaml already declares it: the change is in Git and waits for Application argocd/shop to sync.',
    });
  });

  it('refuses when the token Secret has no such key, before asking GitHub', async () => {
    const outcome = await openPullRequest(
      { ...options(), tokenSecret: { namespace: 'foxhound', name: 'foxhound-github', key: 'nope' } },
      request(raiseMemory()),
    );
    expect(outcome).toStrictEqual({
      refusal: 'PatchContainerResources shop/web: Secret foxhound/foxhound-github has no key nope.',
    });
    expect(github.requests).toHaveLength(0);
  });
});

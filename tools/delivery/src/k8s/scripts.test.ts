// k8s/scripts: every script parses (bash -n), passes shellcheck, answers --help, and in --dry-run
// prints exactly the commands it would run, without needing docker, kind, kubectl or helm.
import { readdirSync, readFileSync } from 'node:fs';
import { fromRoot, run, runOk } from '../support/repo';

const scriptsDir = fromRoot('k8s/scripts');
const scripts = readdirSync(scriptsDir).filter((name) => name.endsWith('.sh'));
const entryPoints = scripts.filter((name) => name !== 'lib.sh');
const shellFiles = [
  ...scripts.map((name) => `k8s/scripts/${name}`),
  'k8s/gvisor/register-runsc.sh',
  'tools/delivery/docker/assemble-runtime.sh',
];

// One shellcheck run over every file (it follows `source lib.sh` through k8s/scripts/.shellcheckrc).
const shellcheck = run('shellcheck', ['-x', '--severity=info', '--format=gcc', ...shellFiles]);

it('shellcheck ran and found nothing', () => {
  expect(shellcheck).toEqual({ status: 0, stdout: '', stderr: '' });
});

/** Runs a script with only PATH basics, so a dry run cannot lean on installed cluster tools. */
function dryRun(script: string, args: string[] = [], env: Record<string, string> = {}) {
  return run('bash', [`k8s/scripts/${script}`, '--dry-run', ...args], {
    env: { PATH: '/usr/bin:/bin', HOME: '/tmp', IMAGE_TAG: 'abc123def456', ...env },
  });
}

/** The printed commands, without the `==>` progress lines (those go to stderr). */
function commands(script: string, args: string[] = [], env: Record<string, string> = {}): string[] {
  const result = dryRun(script, args, env);
  expect({
    status: result.status,
    stderr: result.stderr.split('\n').filter((l) => l && !l.startsWith('==> ')),
  }).toEqual({
    status: 0,
    stderr: [],
  });
  return result.stdout.trim().split('\n');
}

describe.each(shellFiles)('%s', (file) => {
  it('parses with bash -n', () => {
    expect(run('bash', ['-n', file]).status).toBe(0);
  });

  it('passes shellcheck', () => {
    expect(shellcheck.stdout.split('\n').filter((line) => line.startsWith(`${file}:`))).toEqual([]);
  });

  it('is executable and runs under bash with strict mode', () => {
    const text = readFileSync(fromRoot(file), 'utf8');
    expect(text.split('\n')[0]).toMatch(/^#!\/(usr\/bin\/env bash|bin\/sh)$/);
    // Strict mode directly, or through lib.sh (which sets -euo pipefail).
    const strict = /^set -eu/m.test(text) || text.includes('source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"');
    expect(strict).toBe(true);
    expect(run('test', ['-x', file]).status).toBe(0);
  });
});

describe.each(entryPoints)('k8s/scripts/%s', (script) => {
  it('prints its usage on --help', () => {
    const result = run('bash', [`k8s/scripts/${script}`, '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Usage: k8s\/scripts\//);
  });

  it('runs a dry run without docker, kind, kubectl or helm installed', () => {
    expect(dryRun(script).status).toBe(0);
  });
});

describe('dry runs', () => {
  it('images.sh builds each service from the one Dockerfile, tagged with the git SHA', () => {
    const sha = runOk('git', ['rev-parse', 'HEAD']).trim();
    const targets: Array<[string, string, number]> = [
      ['gateway', 'gateway', 8000],
      ['sandbox-manager', 'service', 8081],
      ['sandbox-router', 'service', 8080],
      ['executor', 'executor', 8888],
    ];
    expect(commands('images.sh')).toEqual(
      targets.map(
        ([app, target, port]) =>
          `+ docker build --file Dockerfile --target ${target} --build-arg APP=${app} --build-arg PORT=${port} --tag foxhound-${app}:abc123def456 --label org.opencontainers.image.revision=${sha} --label org.opencontainers.image.title=foxhound-${app} .`,
      ),
    );
  });

  it('images.sh pushes multi-arch images to a registry with buildx', () => {
    const [line] = commands('images.sh', ['--push', '--platform', 'linux/amd64,linux/arm64', 'executor'], {
      REGISTRY: '123456789012.dkr.ecr.us-east-1.amazonaws.com/',
    });
    expect(line).toMatch(
      /^\+ docker buildx build --platform linux\/amd64,linux\/arm64 --file Dockerfile --target executor --build-arg APP=executor --build-arg PORT=8888 --tag 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/foxhound-executor:abc123def456 .* --push \.$/,
    );
  });

  it('images.sh tags with the 12-character git SHA by default', () => {
    const result = run('bash', ['k8s/scripts/images.sh', '--dry-run', 'gateway'], {
      env: { PATH: '/usr/bin:/bin', HOME: '/tmp' },
    });
    const sha = runOk('git', ['rev-parse', '--short=12', 'HEAD']).trim();
    expect(result.stdout).toMatch(new RegExp(`--tag foxhound-gateway:${sha}(-dirty-[0-9a-f]{8})? `));
  });

  it.each([
    [['unknown-app'], 'unknown app unknown-app'],
    [['--push'], '--push needs REGISTRY'],
    [['--platform'], '--platform needs a value'],
  ])('images.sh refuses %j', (args, message) => {
    const result = dryRun('images.sh', args);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
  });

  it('kind-setup.sh creates the pinned cluster, then installs agent-sandbox and gVisor', () => {
    const lines = commands('kind-setup.sh');
    expect(lines.slice(0, 5)).toEqual([
      '+ kind create cluster --name foxhound --config k8s/kind/cluster.yaml --wait 120s',
      '+ kubectl config use-context kind-foxhound',
      '+ kubectl apply --server-side --force-conflicts -f https://github.com/kubernetes-sigs/agent-sandbox/releases/download/v0.5.6/sandbox-with-extensions.yaml',
      '+ kubectl wait --for=condition=Established --timeout=120s crd/sandboxes.agents.x-k8s.io crd/sandboxtemplates.extensions.agents.x-k8s.io crd/sandboxclaims.extensions.agents.x-k8s.io crd/sandboxwarmpools.extensions.agents.x-k8s.io',
      '+ kubectl -n agent-sandbox-system rollout status deployment/agent-sandbox-controller --timeout=300s',
    ]);
    expect(lines).toContain('+ sha512sum -c runsc.sha512 containerd-shim-runsc-v1.sha512');
    expect(lines[lines.length - 1]).toBe('+ kubectl apply -f k8s/gvisor/runtimeclass.yaml');
  });

  it('install-gvisor.sh verifies the pinned release and registers runsc on every node', () => {
    const lines = commands('install-gvisor.sh');
    const base = 'https://storage.googleapis.com/gvisor/releases/release/20250707.0/x86_64';
    expect(lines.filter((line) => line.startsWith('+ curl'))).toEqual([
      `+ curl -fsSL --retry 3 -o /tmp/foxhound-gvisor/runsc ${base}/runsc`,
      `+ curl -fsSL --retry 3 -o /tmp/foxhound-gvisor/runsc.sha512 ${base}/runsc.sha512`,
      `+ curl -fsSL --retry 3 -o /tmp/foxhound-gvisor/containerd-shim-runsc-v1 ${base}/containerd-shim-runsc-v1`,
      `+ curl -fsSL --retry 3 -o /tmp/foxhound-gvisor/containerd-shim-runsc-v1.sha512 ${base}/containerd-shim-runsc-v1.sha512`,
    ]);
    for (const node of ['foxhound-control-plane', 'foxhound-worker']) {
      expect(lines).toContain(`+ docker cp /tmp/foxhound-gvisor/runsc ${node}:/usr/local/bin/runsc`);
      expect(lines).toContain(`+ docker exec ${node} sh /usr/local/bin/register-runsc`);
    }
    // Verification comes before anything is copied to a node.
    expect(lines.indexOf('+ sha512sum -c runsc.sha512 containerd-shim-runsc-v1.sha512')).toBeLessThan(
      lines.findIndex((line) => line.startsWith('+ docker cp')),
    );
  });

  it('kind-load.sh loads the four images with the same tag', () => {
    expect(commands('kind-load.sh')).toEqual([
      '+ kind load docker-image --name foxhound foxhound-gateway:abc123def456 foxhound-sandbox-manager:abc123def456 foxhound-sandbox-router:abc123def456 foxhound-executor:abc123def456',
    ]);
  });

  it('dev.sh builds, loads, installs with the dev values and the tag, then port-forwards and tails logs', () => {
    const lines = commands('dev.sh', [], { FOXHOUND_CLUSTER: 'mine' });
    expect(lines[0]).toBe('+ kubectl config use-context kind-mine');
    expect(lines.filter((line) => line.startsWith('+ docker build'))).toHaveLength(4);
    expect(lines.slice(-3)).toEqual([
      '+ helm upgrade --install foxhound charts/foxhound --namespace foxhound --create-namespace -f charts/foxhound/values-dev.yaml --set-string global.image.tag=abc123def456 --wait --timeout 5m',
      '+ kubectl -n foxhound port-forward svc/foxhound-gateway 8000:80 &',
      '+ kubectl -n foxhound logs -f --prefix --all-containers --max-log-requests 20 -l app.kubernetes.io/instance=foxhound &',
    ]);
  });

  it('dev.sh passes an Anthropic key through a file, never on the command line', () => {
    const lines = commands('dev.sh', ['--skip-build'], { ANTHROPIC_API_KEY: 'sk-ant-secret-value' });
    expect(lines.join('\n')).not.toContain('sk-ant-secret-value');
    expect(lines.find((line) => line.includes('helm upgrade'))).toContain(
      '-f /tmp/foxhound-dev-secrets.yaml',
    );
    expect(lines.filter((line) => line.startsWith('+ docker build'))).toEqual([]);
  });

  it('kind-down.sh deletes the cluster', () => {
    expect(commands('kind-down.sh')).toEqual(['+ kind delete cluster --name foxhound']);
  });

  it('smoke-test.sh finds the endpoint from the Ingress or the Service, then checks readiness, the warm pool and an investigation', () => {
    const lines = commands('smoke-test.sh', ['--timeout', '300']);
    expect(lines[0]).toContain('kubectl -n foxhound get ingress foxhound-gateway --ignore-not-found -o');
    expect(lines[1]).toContain('kubectl -n foxhound get service foxhound-gateway -o');
    expect(lines.slice(2)).toEqual([
      '+ curl -fsS --max-time 5 \\<scheme\\>://\\<host\\>/readyz',
      expect.stringContaining('get sandboxwarmpools.extensions.agents.x-k8s.io foxhound-executor'),
      '+ kubectl -n foxhound get pods -l app.kubernetes.io/name=executor,app.kubernetes.io/instance=foxhound',
      '+ curl -fsS -N -X POST \\<scheme\\>://\\<host\\>/investigate',
    ]);
    expect(commands('smoke-test.sh', ['--skip-investigation']).join('\n')).not.toContain('/investigate');
  });

  it('kube-api-cidrs.sh reads the kubernetes EndpointSlice in default', () => {
    expect(commands('kube-api-cidrs.sh')).toEqual([
      expect.stringMatching(
        /^\+ kubectl -n default get endpointslices.discovery.k8s.io -l kubernetes.io\/service-name=kubernetes -o /,
      ),
    ]);
  });

  it('kubeconform.sh renders the three values files and validates against the pinned agent-sandbox CRDs', () => {
    const lines = commands('kubeconform.sh');
    const renders = lines.filter((line) => line.includes('helm template'));
    expect(renders).toHaveLength(3);
    for (const render of renders) expect(render).toContain('-f tools/delivery/values/cluster.yaml');
    expect(renders[2]).toContain('-f tools/delivery/values/production-environment.yaml');
    expect(lines).toContain(
      '+ curl -fsSL -o /tmp/foxhound-kubeconform/sandbox-with-extensions.yaml https://github.com/kubernetes-sigs/agent-sandbox/releases/download/v0.5.6/sandbox-with-extensions.yaml',
    );
    expect(lines[lines.length - 1]).toMatch(/^\+ kubeconform -strict -summary/);
  });
});

// The service images from the one Dockerfile, checked without a Docker engine: multi-stage builds on
// pinned bases, production dependencies only, a non-root user, tini, a healthcheck on /healthz,
// every COPY source present and not ignored, the executor running the bundle its own build writes
// (and kubectl, and nothing that writes); docker-bake.hcl and images.sh build each app with the
// target and port its contract names.
import { existsSync, readFileSync } from 'node:fs';
import { COMPONENTS, type Component, serviceContract } from '../contract/contract';
import { fromRoot, run } from '../support/repo';
import { copiesOf, dockerignore, instructionsOf, parseDockerfile, type Stage } from './dockerfile';

const ignored = dockerignore(readFileSync(fromRoot('.dockerignore'), 'utf8'));
const text = readFileSync(fromRoot('Dockerfile'), 'utf8');
const dockerfile = parseDockerfile(text);
const stage = (name: string): Stage => {
  const found = dockerfile.stages.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no stage ${name}: ${dockerfile.stages.map((s) => s.name).join(', ')}`);
  return found;
};
const allText = (of: Stage) =>
  of.instructions.map((instruction) => `${instruction.keyword} ${instruction.args}`).join('\n');
const fromLine = (name: string) => text.match(new RegExp(`^FROM .* AS ${name}$`, 'm'))?.[0];

/** Each app's target, from docker-bake.hcl. */
const bake = readFileSync(fromRoot('docker-bake.hcl'), 'utf8');
function bakeTarget(app: Component): { target: string; args: Record<string, string> } {
  const block = new RegExp(`target "${app}" \\{([^}]*\\{[^}]*\\}[^}]*)\\}`).exec(bake)?.[1] ?? '';
  const args = Object.fromEntries(
    [...(/args\s*=\s*\{([^}]*)\}/.exec(block)?.[1] ?? '').matchAll(/(\w+)\s*=\s*"([^"]*)"/g)].map((m) => [
      m[1],
      m[2],
    ]),
  );
  return { target: /\btarget\s*=\s*"([^"]+)"/.exec(block)?.[1] ?? '', args };
}

it('builds in stages on pinned base images', () => {
  for (const each of dockerfile.stages) {
    if (dockerfile.stages.some((other) => other.name === each.from)) continue;
    expect(each.from).toMatch(/^[\w./-]+(:[\w.-]*\d[\w.-]*|@sha256:[a-f0-9]{64})$/);
    expect(each.from).not.toMatch(/:latest$/);
  }
  // tsc output is compiled on the build machine's platform; the executor's bundle (its V8 code cache
  // must come from the same Node.js on the same architecture), dependencies and runtimes on the target's.
  expect(fromLine('build')).toContain('--platform=$BUILDPLATFORM');
  for (const name of ['bundle', 'prod-deps', 'runtime', 'service', 'gateway', 'executor'])
    expect(fromLine(name)).not.toContain('--platform');
  expect(stage('service').from).toBe('runtime');
  expect(stage('gateway').from).toBe('service');
  expect(stage('executor').from).toBe('runtime');
});

it('installs one workspace, and only its production dependencies for the runtime', () => {
  expect(allText(stage('build'))).toContain(
    'npm install --no-audit --no-fund --ignore-scripts --include-workspace-root -w "@foxhound/$APP"',
  );
  expect(allText(stage('build'))).toContain('npx nx run "@foxhound/$APP:build"');
  expect(allText(stage('prod-deps'))).toContain('npm install --omit=dev');
  expect(allText(stage('bundle'))).toContain('npx nx run @foxhound/executor:build');
  // The runtimes take their files from the assembled tree or the bundle only.
  expect(copiesOf(stage('service')).map((copy) => copy.from)).toEqual(['assemble']);
  expect(copiesOf(stage('executor'))).toEqual([
    { from: 'bundle', sources: ['/src/apps/executor/dist'], destination: './apps/executor/dist' },
    { from: 'kubectl', sources: ['/kubectl'], destination: '/usr/local/bin/kubectl' },
  ]);
  for (const name of ['runtime', 'service', 'gateway', 'executor'])
    expect(allText(stage(name))).not.toMatch(/npm (ci|install)/);
});

it('runs as a non-root numeric user under tini, without npm, in production mode', () => {
  expect(instructionsOf(stage('runtime'), 'ENTRYPOINT').map((entry) => entry.args)).toEqual([
    '["/usr/bin/tini", "--"]',
  ]);
  expect(allText(stage('runtime'))).toMatch(
    /rm -rf \/usr\/local\/lib\/node_modules \/usr\/local\/bin\/npm \/usr\/local\/bin\/npx/,
  );
  expect(allText(stage('runtime'))).toContain('NODE_ENV=production');
  for (const name of ['service', 'gateway', 'executor']) {
    const users = instructionsOf(stage(name), 'USER').map((user) => user.args);
    expect(users[users.length - 1]).toBe('1000:1000');
  }
  expect(instructionsOf(stage('service'), 'CMD').map((cmd) => JSON.parse(cmd.args))).toEqual([
    ['node', 'main.js'],
  ]);
  expect(allText(stage('service'))).toContain('RUN ln -s "apps/$APP/dist/main.js" main.js');
  expect(instructionsOf(stage('executor'), 'CMD').map((cmd) => JSON.parse(cmd.args))).toEqual([
    ['node', 'apps/executor/dist/main.js'],
  ]);
});

it('checks /healthz on the port the image serves', () => {
  for (const name of ['service', 'executor']) {
    const healthcheck = instructionsOf(stage(name), 'HEALTHCHECK')
      .map((check) => check.args)
      .join('');
    expect(healthcheck).toContain("'/healthz'");
    expect(healthcheck).toContain('process.env.PORT');
  }
  expect(allText(stage('service'))).toContain('PORT=${PORT}');
  expect(instructionsOf(stage('service'), 'EXPOSE').map((e) => e.args)).toEqual(['${PORT}']);
  expect(instructionsOf(stage('executor'), 'EXPOSE').map((e) => e.args)).toEqual(['8888']);
  expect(allText(stage('gateway'))).toContain('GATEWAY_DATA_DIR=/data');
});

describe.each(COMPONENTS)('%s', (component) => {
  const port = String(serviceContract(component).port);
  const expectedTarget =
    component === 'gateway' ? 'gateway' : component === 'executor' ? 'executor' : 'service';

  it('has a bake target with its Dockerfile target, app and contract port', () => {
    expect(bakeTarget(component)).toEqual({ target: expectedTarget, args: { APP: component, PORT: port } });
  });

  it('is built by images.sh with the same target and port', () => {
    const result = run('bash', ['k8s/scripts/images.sh', '--dry-run', component], {
      env: { PATH: '/usr/bin:/bin', HOME: '/tmp', IMAGE_TAG: 'abc123def456' },
    });
    expect(result.stdout).toContain(
      `--file Dockerfile --target ${expectedTarget} --build-arg APP=${component} --build-arg PORT=${port} --tag foxhound-${component}:abc123def456`,
    );
  });

  it('has its sources in the build context', () => {
    for (const source of [`apps/${component}/package.json`, `apps/${component}/src/main.ts`])
      expect({ source, exists: existsSync(fromRoot(source)), ignored: ignored(source) }).toEqual({
        source,
        exists: true,
        ignored: false,
      });
  });
});

it('copies only files that exist and that .dockerignore lets into the context', () => {
  for (const each of dockerfile.stages) {
    for (const copy of copiesOf(each).filter((c) => c.from === undefined)) {
      for (const source of copy.sources.filter((s) => s !== '.' && !s.includes('$'))) {
        expect({ source, exists: existsSync(fromRoot(source)), ignored: ignored(source) }).toEqual({
          source,
          exists: true,
          ignored: false,
        });
      }
    }
  }
});

it('carries kubectl, verified, in the executor only, and no tool that writes', () => {
  for (const name of ['runtime', 'service', 'gateway', 'executor']) {
    expect(allText(stage(name))).not.toMatch(
      /\b(helm|kustomize|curl|wget|apt-get install[^&]*\b(git|curl|wget))\b/,
    );
  }
  for (const name of ['runtime', 'service', 'gateway']) expect(allText(stage(name))).not.toMatch(/kubectl/);
  const kubectl = stage('kubectl');
  expect(allText(kubectl)).toMatch(
    /dl\.k8s\.io\/release\/\$\{KUBECTL_VERSION\}\/bin\/linux\/\$\{TARGETARCH\}\/kubectl/,
  );
  expect(allText(kubectl)).toContain('sha256sum -c');
  expect(
    kubectl.instructions.find((i) => i.keyword === 'ARG' && i.args.startsWith('KUBECTL_VERSION='))?.args,
  ).toMatch(/^KUBECTL_VERSION=v1\.\d+\.\d+$/);
  // kubectl's discovery cache must land on the writable /tmp, not the read-only root.
  expect(allText(stage('executor'))).toContain('KUBECACHEDIR=/tmp/.kube/cache');
});

it('replaces the per-app Dockerfiles', () => {
  for (const component of COMPONENTS)
    expect(existsSync(fromRoot('apps', component, 'Dockerfile'))).toBe(false);
});

describe('.dockerignore', () => {
  it.each([
    ['node_modules/express/index.js', true],
    ['libs/kube/node_modules/x/index.js', true],
    ['apps/gateway/dist/main.js', true],
    ['.git/HEAD', true],
    ['.env', true],
    ['.env.production', true],
    ['charts/foxhound/values.yaml', true],
    ['tools/eval/src/main.ts', true],
    ['libs/store/src/db/pglite.test.ts', true],
    ['package-lock.json', false],
    ['tsconfig.base.json', false],
    ['nx.json', false],
    ['libs/store/src/db/pglite.ts', false],
    ['apps/gateway/src/main.ts', false],
    ['apps/executor/scripts/build.cjs', false],
    ['tools/eval/package.json', false],
    ['tools/delivery/docker/assemble-runtime.sh', false],
  ])('%s ignored is %s', (path, expected) => {
    expect(ignored(path)).toBe(expected);
  });

  it('keeps every workspace manifest in the context (npm needs them all to read the lockfile)', () => {
    const manifests = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { workspaces: string[] };
    expect(manifests.workspaces).toEqual(['libs/*', 'apps/*', 'tools/*']);
    for (const component of COMPONENTS) expect(ignored(`apps/${component}/package.json`)).toBe(false);
    expect(ignored('tools/delivery/package.json')).toBe(false);
  });
});

it('parses continuations, comments and build args', () => {
  const parsed = parseDockerfile(
    [
      'ARG BASE=node:20.20.2-slim',
      'FROM ${BASE} AS one',
      'RUN a \\',
      '  # a comment inside',
      ' && b',
      'FROM one',
    ].join('\n'),
  );
  expect(parsed.stages).toEqual([
    { name: 'one', from: 'node:20.20.2-slim', instructions: [{ keyword: 'RUN', args: 'a && b', line: 3 }] },
    { name: '1', from: 'one', instructions: [] },
  ]);
});

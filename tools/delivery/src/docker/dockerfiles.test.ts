// The service images, checked without a Docker engine: multi-stage builds on pinned bases, production
// dependencies only, a non-root user, tini, a healthcheck on /healthz, every COPY source present and
// not ignored, and kubectl (and nothing that writes) only in the executor.
import { existsSync, readFileSync } from 'node:fs';
import { COMPONENTS, serviceContract } from '../contract/contract';
import { fromRoot } from '../support/repo';
import { copiesOf, dockerignore, instructionsOf, parseDockerfile, type Stage } from './dockerfile';

const ignored = dockerignore(readFileSync(fromRoot('.dockerignore'), 'utf8'));
const images = COMPONENTS.map((component) => {
  const dockerfile = parseDockerfile(readFileSync(fromRoot('apps', component, 'Dockerfile'), 'utf8'));
  const runtime = dockerfile.stages[dockerfile.stages.length - 1];
  return { component, dockerfile, runtime };
});

const allText = (stage: Stage) =>
  stage.instructions.map((instruction) => `${instruction.keyword} ${instruction.args}`).join('\n');

describe.each(images)('apps/$component/Dockerfile', ({ component, dockerfile, runtime }) => {
  const port = serviceContract(component).port;

  it('builds in stages on pinned base images', () => {
    expect(dockerfile.stages.map((stage) => stage.name)).toEqual(
      expect.arrayContaining(['manifests', 'build', 'prod-deps', 'assemble', 'runtime']),
    );
    for (const stage of dockerfile.stages) {
      const internal = dockerfile.stages.some((other) => other.name === stage.from);
      if (internal) continue;
      expect(stage.from).toMatch(/^[\w./-]+(:[\w.-]*\d[\w.-]*|@sha256:[a-f0-9]{64})$/);
      expect(stage.from).not.toMatch(/:latest$/);
    }
    // Compilation runs on the build machine's platform; the runtime (and its dependencies) on the target's.
    const fromLine = (name: string) =>
      readFileSync(fromRoot('apps', component, 'Dockerfile'), 'utf8').match(
        new RegExp(`^FROM .* AS ${name}$`, 'm'),
      )?.[0];
    expect(fromLine('build')).toContain('--platform=$BUILDPLATFORM');
    expect(fromLine('prod-deps')).not.toContain('--platform');
    expect(fromLine('runtime')).not.toContain('--platform');
    expect(runtime.name).toBe('runtime');
    expect(runtime.from).toBe(dockerfile.stages.find((stage) => stage.name === 'build')?.from);
  });

  it('installs only this workspace, and only its production dependencies for the runtime', () => {
    const prodDeps = dockerfile.stages.find((stage) => stage.name === 'prod-deps')!;
    expect(allText(prodDeps)).toContain(`npm install --omit=dev`);
    expect(allText(prodDeps)).toContain(`-w @foxhound/${component}`);
    expect(allText(dockerfile.stages.find((stage) => stage.name === 'build')!)).toContain(
      `npx nx run @foxhound/${component}:build`,
    );
    // The runtime takes its files from the assembled tree only, never from the build stage.
    expect(copiesOf(runtime).map((copy) => copy.from)).toEqual(
      component === 'executor' ? ['assemble', 'kubectl'] : ['assemble'],
    );
    expect(
      instructionsOf(runtime, 'RUN')
        .map((run) => run.args)
        .join(' '),
    ).not.toMatch(/npm (ci|install)/);
  });

  it('runs as a non-root numeric user under tini, without npm, in production mode', () => {
    const users = instructionsOf(runtime, 'USER').map((user) => user.args);
    expect(users).toEqual(['1000:1000']);
    expect(instructionsOf(runtime, 'ENTRYPOINT').map((entry) => entry.args)).toEqual([
      '["/usr/bin/tini", "--"]',
    ]);
    expect(instructionsOf(runtime, 'CMD').map((cmd) => JSON.parse(cmd.args))).toEqual([
      ['node', `apps/${component}/dist/main.js`],
    ]);
    expect(allText(runtime)).toMatch(
      /rm -rf \/usr\/local\/lib\/node_modules \/usr\/local\/bin\/npm \/usr\/local\/bin\/npx/,
    );
    expect(allText(runtime)).toContain('NODE_ENV=production');
  });

  it('exposes the contract port and checks /healthz on it', () => {
    expect(instructionsOf(runtime, 'EXPOSE').map((expose) => expose.args)).toEqual([String(port)]);
    const healthcheck = instructionsOf(runtime, 'HEALTHCHECK')
      .map((check) => check.args)
      .join('');
    expect(healthcheck).toContain('/healthz');
    expect(healthcheck).toContain(`process.env.PORT||${port}`);
    expect(allText(runtime)).toContain(`PORT=${port}`);
  });

  it('copies only files that exist and that .dockerignore lets into the context', () => {
    for (const stage of dockerfile.stages) {
      for (const copy of copiesOf(stage).filter((c) => c.from === undefined)) {
        for (const source of copy.sources.filter((s) => s !== '.')) {
          expect({ source, exists: existsSync(fromRoot(source)), ignored: ignored(source) }).toEqual({
            source,
            exists: true,
            ignored: false,
          });
        }
      }
    }
  });

  it(
    component === 'executor' ? 'carries kubectl, verified, and no tool that writes' : 'carries no kubectl',
    () => {
      const runtimeText = allText(runtime);
      expect(runtimeText).not.toMatch(/\b(helm|kustomize|curl|wget|apt-get install[^&]*\b(git|curl|wget))\b/);
      if (component !== 'executor') {
        expect(dockerfile.stages.some((stage) => /kubectl/.test(allText(stage)))).toBe(false);
        return;
      }
      const kubectl = dockerfile.stages.find((stage) => stage.name === 'kubectl')!;
      expect(allText(kubectl)).toMatch(
        /dl\.k8s\.io\/release\/\$\{KUBECTL_VERSION\}\/bin\/linux\/\$\{TARGETARCH\}\/kubectl/,
      );
      expect(allText(kubectl)).toContain('sha256sum -c');
      expect(
        kubectl.instructions.find((i) => i.keyword === 'ARG' && i.args.startsWith('KUBECTL_VERSION='))?.args,
      ).toMatch(/^KUBECTL_VERSION=v1\.\d+\.\d+$/);
      expect(copiesOf(runtime).find((copy) => copy.from === 'kubectl')).toEqual({
        from: 'kubectl',
        sources: ['/kubectl'],
        destination: '/usr/local/bin/kubectl',
      });
      // kubectl's discovery cache must land on the writable /tmp, not the read-only root.
      expect(runtimeText).toContain('KUBECACHEDIR=/tmp/.kube/cache');
    },
  );
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

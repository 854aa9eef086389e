// helm lint (strict) for each value set, and the rendered output through yamllint.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { helm } from '../support/helm';
import { chartDir, run } from '../support/repo';
import { render } from './render';
import { VARIANT_NAMES, VARIANTS } from './variants';

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'chart-lint-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('helm lint', () => {
  it('covers eight value sets', () => {
    expect(VARIANT_NAMES).toHaveLength(8);
  });

  it.each(VARIANT_NAMES)('passes --strict with the %s values', (name) => {
    const options = VARIANTS[name];
    const args = ['lint', chartDir, '--strict', '--namespace', 'foxhound'];
    for (const file of options.valuesFiles ?? []) args.push('-f', path.join(chartDir, file));
    if (options.values) {
      const file = path.join(scratch, `${name}.json`);
      writeFileSync(file, JSON.stringify(options.values));
      args.push('-f', file);
    }
    const result = helm(args);
    expect(`${result.stdout}${result.stderr}`).toContain('0 chart(s) failed');
    expect(result.status).toBe(0);
  });
});

describe('rendered YAML', () => {
  it.each(VARIANT_NAMES)('passes yamllint --strict (%s values)', (name) => {
    const rendered = render(VARIANTS[name]);
    expect(rendered.stderr).toBe('');
    const file = path.join(scratch, `yamllint-${name}.yaml`);
    writeFileSync(file, rendered.stdout);
    // toYaml writes block sequences unindented under their key while the templates indent theirs.
    const config =
      '{extends: default, rules: {line-length: disable, document-start: disable, indentation: {indent-sequences: whatever}}}';
    const result = run('yamllint', ['--strict', '-f', 'parsable', '-d', config, file]);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});

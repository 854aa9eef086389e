// helm lint (strict) for each values set, and the rendered output through yamllint.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { helm } from '../support/helm';
import { chartDir, run, toolsDir } from '../support/repo';
import { render } from './render';
import { VARIANTS } from './variants';

describe('helm lint', () => {
  it.each(['values.yaml', 'values-dev.yaml', 'values-production.yaml'])('passes --strict with %s', (file) => {
    const result = helm([
      'lint',
      chartDir,
      '--strict',
      '--namespace',
      'foxhound',
      '-f',
      path.join(chartDir, file),
    ]);
    expect(`${result.stdout}${result.stderr}`).toContain('0 chart(s) failed');
    expect(result.status).toBe(0);
  });
});

describe('rendered YAML', () => {
  it.each(Object.keys(VARIANTS))('passes yamllint --strict (%s values)', (name) => {
    const rendered = render(VARIANTS[name]);
    expect(rendered.stderr).toBe('');
    const file = path.join(toolsDir, `yamllint-${name}-${process.pid}.yaml`);
    writeFileSync(file, rendered.stdout);
    // toYaml writes block sequences unindented under their key while the templates indent theirs.
    const config =
      '{extends: default, rules: {line-length: disable, document-start: disable, indentation: {indent-sequences: whatever}}}';
    const result = run('yamllint', ['--strict', '-f', 'parsable', '-d', config, file]);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});

// The chart's documentation: the README values table is exactly what values.yaml's `# --` comments
// generate (every value documented), and NOTES.txt renders, for each kind of install, the way to
// reach the API and to authenticate.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { helm } from '../support/helm';
import { chartDir } from '../support/repo';
import { type RenderOptions } from './render';
import { renderValuesTable, TABLE_END, TABLE_START, valuesRows, withValuesTable } from './values-docs';
import { VARIANTS } from './variants';

describe('README.md', () => {
  const readme = readFileSync(path.join(chartDir, 'README.md'), 'utf8');
  const { rows, undocumented } = valuesRows(readFileSync(path.join(chartDir, 'values.yaml'), 'utf8'));

  it('documents every value with a `# --` comment', () => {
    expect(undocumented).toEqual([]);
    expect(rows.length).toBeGreaterThan(100);
  });

  it('has the generated values table (npm run docs -w @foxhound/delivery regenerates it)', () => {
    expect(withValuesTable(readme, renderValuesTable(rows))).toBe(readme);
  });

  it('reports an undocumented value and walks into undocumented maps', () => {
    const result = valuesRows('a:\n  # -- documented\n  b: 1\n  c: 2\nd:\n  e: {}\n');
    expect(result).toEqual({
      rows: [{ key: 'a.b', default: '1', description: 'documented' }],
      undocumented: ['a.c', 'd.e'],
    });
  });

  it('refuses a README without the table markers', () => {
    expect(() => withValuesTable('# no markers', '')).toThrow(TABLE_START);
    expect(readme.indexOf(TABLE_START)).toBeLessThan(readme.indexOf(TABLE_END));
  });
});

describe('NOTES.txt', () => {
  let chartCopy: string;

  beforeAll(() => {
    // helm template skips NOTES.txt, so render it through a test-only template in a copy of the chart.
    chartCopy = path.join(mkdtempSync(path.join(os.tmpdir(), 'notes-')), 'foxhound');
    cpSync(chartDir, chartCopy, { recursive: true });
    const notes = readFileSync(path.join(chartDir, 'templates/NOTES.txt'), 'utf8');
    writeFileSync(
      path.join(chartCopy, 'templates/_notes-under-test.tpl'),
      `{{- define "test.notes" -}}\n${notes}{{- end }}\n`,
    );
    writeFileSync(
      path.join(chartCopy, 'templates/notes-under-test.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  notes: {{ include "test.notes" . | toJson }}\n',
    );
  });

  afterAll(() => {
    rmSync(path.dirname(chartCopy), { recursive: true, force: true });
  });

  function notesFor(options: RenderOptions): string {
    const args = [
      'template',
      'foxhound',
      chartCopy,
      '-n',
      'foxhound',
      '--show-only',
      'templates/notes-under-test.yaml',
    ];
    // Files of the chart from the copy; files beside it (tools/delivery/values) from where they are.
    for (const file of options.valuesFiles ?? [])
      args.push('-f', path.join(file.startsWith('../') ? chartDir : chartCopy, file));
    if (options.values) {
      const file = path.join(path.dirname(chartCopy), 'values.json');
      writeFileSync(file, JSON.stringify(options.values));
      args.push('-f', file);
    }
    const result = helm(args);
    expect(result.stderr).toBe('');
    return (parse(result.stdout) as { data: { notes: string } }).data.notes;
  }

  it('tells a default install to port-forward (nothing public by default) and read the generated admin key', () => {
    const notes = notesFor(VARIANTS.default);
    expect(notes).toContain('kubectl port-forward svc/foxhound-gateway -n foxhound 8000:80');
    expect(notes).not.toContain('HTTP-ONLY');
    expect(notes).toContain(
      "export FOXHOUND_KEY=$(kubectl get secret foxhound-internal -n foxhound -o jsonpath='{.data.GATEWAY_BOOTSTRAP_ADMIN_KEY}' | base64 -d)",
    );
    expect(notes).toContain('No ANTHROPIC_API_KEY was given: investigations use the offline engine.');
    expect(notes).toContain('For gVisor isolation set executor.sandbox.runtimeClassName=gvisor.');
  });

  it('tells a kind install to port-forward, and names its gVisor runtime class', () => {
    const notes = notesFor(VARIANTS.dev);
    expect(notes).toContain('kubectl port-forward svc/foxhound-gateway -n foxhound 8000:80');
    expect(notes).toContain('Sandbox pods run with RuntimeClass "gvisor"');
  });

  it('gives the NLB URL over https when the NLB terminates TLS', () => {
    const notes = notesFor(VARIANTS.production);
    expect(notes).toContain(
      "export FOXHOUND=https://$(kubectl get svc foxhound-gateway -n foxhound -o jsonpath='{.status.loadBalancer.ingress[0].hostname}{.status.loadBalancer.ingress[0].ip}')\n",
    );
    expect(notes).toContain('TLS ends at the NLB with certificate arn:aws:acm:');
  });

  it('labels plain HTTP asked for as such', () => {
    const notes = notesFor(VARIANTS['http-on-purpose']);
    expect(notes).toContain('export FOXHOUND=http://$(kubectl get svc foxhound-gateway');
    expect(notes).toContain('HTTP-ONLY (gateway.insecureHttp=true)');
  });

  it('gives the Ingress URL and points at your own Secret when the chart does not create it', () => {
    const notes = notesFor(VARIANTS['all-options']);
    expect(notes).toContain('https://foxhound.example.com/');
    expect(notes).toContain('GATEWAY_BOOTSTRAP_ADMIN_KEY in your Secret foxhound-internal');
    expect(notes).toContain('kubectl get sandboxwarmpools,sandboxclaims,sandboxes -n foxhound-sandboxes');
  });
});

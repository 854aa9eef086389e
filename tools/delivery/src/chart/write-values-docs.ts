// Regenerates the values table in charts/foxhound/README.md from values.yaml.
// Run: npm run docs -w @foxhound/delivery
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chartDir } from '../support/repo';
import { renderValuesTable, valuesRows, withValuesTable } from './values-docs';

const { rows, undocumented } = valuesRows(readFileSync(path.join(chartDir, 'values.yaml'), 'utf8'));
if (undocumented.length > 0) {
  console.error(`values without a "# --" description: ${undocumented.join(', ')}`);
  process.exit(1);
}
const readmePath = path.join(chartDir, 'README.md');
writeFileSync(readmePath, withValuesTable(readFileSync(readmePath, 'utf8'), renderValuesTable(rows)));
console.log(`${rows.length} values documented in ${path.relative(process.cwd(), readmePath)}`);

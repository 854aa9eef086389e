// Prints the workspace-wide test totals from every project's coverage/test-summary.json (written by
// jest-summary-reporter.cjs) as the plain "N passed, N failed, N skipped" line CI reads.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const totals = { passed: 0, failed: 0, skipped: 0, projects: 0 };
for (const group of ['apps', 'libs', 'tools']) {
  const groupDir = path.join(root, group);
  if (!fs.existsSync(groupDir)) continue;
  for (const project of fs.readdirSync(groupDir)) {
    const file = path.join(groupDir, project, 'coverage', 'test-summary.json');
    if (!fs.existsSync(file)) continue;
    const summary = JSON.parse(fs.readFileSync(file, 'utf8'));
    totals.passed += summary.passed;
    totals.failed += summary.failed + summary.suitesFailed;
    totals.skipped += summary.skipped;
    totals.projects += 1;
  }
}
console.log(`tests in ${totals.projects} projects:`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);

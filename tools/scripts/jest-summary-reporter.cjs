// Jest reporter that leaves each project's totals in coverage/test-summary.json. nx caches that
// folder with the test target, so `make test` can print one workspace-wide "N passed, N failed"
// line even when most projects' results come from the cache.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const dir = path.join(this.rootDir, 'coverage');
    fs.mkdirSync(dir, { recursive: true });
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests,
      skipped: results.numPendingTests + results.numTodoTests,
      suitesFailed: results.numFailedTestSuites + results.numRuntimeErrorTestSuites,
    };
    fs.writeFileSync(path.join(dir, 'test-summary.json'), `${JSON.stringify(summary)}\n`);
  }
}

module.exports = SummaryReporter;

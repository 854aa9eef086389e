// Runs TypeScript entry points directly (benchmarks, the eval harness, dev scripts) without a build:
// swc transpiles each .ts file on require, and `--conditions=@foxhound/source` makes workspace libs
// resolve to their sources. Usage:
//   node --conditions=@foxhound/source -r ./tools/ts-run.cjs tools/bench/router/bench.ts
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};

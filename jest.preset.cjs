// Shared jest config. Why @swc/jest on CommonJS: @kubernetes/client-node 1.x and jose are ESM-only,
// and jest's module loader cannot require() ESM below Node 24.9. swc transpiles both our TypeScript
// and those few ESM packages to CommonJS in ~2 s cold (ts-jest takes ~10 s), with no
// --experimental-vm-modules flag and no `.js` suffixes in our imports.
const path = require('node:path');

const esmOnlyDeps = [
  '@kubernetes/client-node',
  'openid-client',
  'oauth4webapi',
  'jose',
  'jsonpath-plus',
  'jsep',
  '@jsep-plugin',
  'rfc4648',
  // PGlite's CommonJS build loads Node built-ins with `await import('fs')`, which jest's CommonJS
  // runtime refuses without --experimental-vm-modules; swc rewrites those imports to require().
  '@electric-sql/pglite',
];

const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
];

module.exports = (projectDir) => ({
  displayName: path.basename(projectDir),
  rootDir: projectDir,
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|m?j)s$': swc,
    '^.+/@electric-sql/pglite/dist/.+\\.cjs$': swc,
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyDeps.join('|')})/)`],
  // Workspace libs are tested from source: no build step between an edit and a test run.
  moduleNameMapper: {
    '^@foxhound/stack$': path.join(__dirname, 'tools/stack/src/index.ts'),
    '^@foxhound/([a-z-]+)$': path.join(__dirname, 'libs/$1/src/index.ts'),
  },
  testTimeout: 30000,
  reporters: ['default', path.join(__dirname, 'tools/scripts/jest-summary-reporter.cjs')],
});

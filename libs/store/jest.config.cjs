// The shared preset, plus one thing PGlite needs: its CommonJS build loads Node built-ins with
// `await import('fs')`, which jest's CommonJS runtime refuses without --experimental-vm-modules. swc
// rewrites those dynamic imports to require() when it transforms PGlite's .cjs files like our sources.
const preset = require('../../jest.preset.cjs')(__dirname);

const swc = preset.transform['^.+\\.(t|m?j)s$'];

module.exports = {
  ...preset,
  transform: { ...preset.transform, '^.+/@electric-sql/pglite/dist/.+\\.cjs$': swc },
  transformIgnorePatterns: preset.transformIgnorePatterns.map((p) =>
    p.replace('(?!(', '(?!(@electric-sql/pglite|'),
  ),
};

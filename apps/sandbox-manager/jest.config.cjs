// Sandboxes are real processes under bwrap and gVisor: give each test room on a busy 2-core machine.
module.exports = { ...require('../../jest.preset.cjs')(__dirname), testTimeout: 120_000 };

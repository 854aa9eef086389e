// The end-to-end suite starts the whole system as processes: give each test room on a busy machine.
module.exports = { ...require('../../jest.preset.cjs')(__dirname), testTimeout: 120_000 };

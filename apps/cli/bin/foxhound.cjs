#!/usr/bin/env node
// The committed entry point, so that npm links `foxhound` into node_modules/.bin at install time,
// before anything is built. The command itself is compiled to dist/ by `make build`.
'use strict';
try {
  require.resolve('../dist/main.js');
} catch {
  process.stderr.write('foxhound: not built yet; run `make build` first\n');
  process.exit(70);
}
require('../dist/main.js');

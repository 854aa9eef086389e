// Copies the markdown the agent reads at runtime (skills, role prompts, toolset instructions,
// runbooks) from src/ to dist/ beside the compiled modules, since tsc only emits code and JSON.
const fs = require('node:fs');
const path = require('node:path');

const src = path.join(__dirname, '..', 'src');
const dist = path.join(__dirname, '..', 'dist');
fs.cpSync(src, dist, {
  recursive: true,
  filter: (from) => fs.statSync(from).isDirectory() || from.endsWith('.md'),
});

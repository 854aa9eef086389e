// Builds the console: esbuild bundles src/main.tsx (Preact) into one app.js and the CSS it imports
// into app.css, and copies index.html beside them. The gateway serves that folder
// (src/routes/console.ts). Plain JavaScript so the image build runs it with node alone.
//   node console/build.mjs [outDir]     (default: apps/gateway/dist/console, what `npm run build` does)
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import { build } from 'esbuild';

const consoleDir = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(process.argv[2] ?? path.join(consoleDir, '../dist/console'));

try {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { app: path.join(consoleDir, 'src/main.tsx') },
    outdir: outDir,
    bundle: true,
    minify: true,
    // No source map: the image carries no sources, and the bundle names no paths.
    sourcemap: false,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    // Workspace libs resolve to their TypeScript sources; only their types are imported, so nothing
    // of zod or Node reaches the browser.
    conditions: ['@foxhound/source'],
    legalComments: 'none',
    logLevel: 'warning',
  });
  copyFileSync(path.join(consoleDir, 'index.html'), path.join(outDir, 'index.html'));
  process.stdout.write(`console: app.js, app.css, index.html in ${outDir}\n`);
} catch (err) {
  process.stderr.write(`console build failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

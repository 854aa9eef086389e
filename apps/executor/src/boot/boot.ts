// The executor's start-up, built to dist/main.js: it runs the bundled executor (dist/executor.js,
// scripts/build.cjs) through V8's code cache, so a sandbox starts without parsing and compiling the
// 4 MB bundle again. The cache is made at build time by a training start of the same bundle (V8
// keys it to the bundle's text and to V8's flags; a heap cap is a V8 flag, so the build makes one
// cache per cap it expects). A cache that does not fit (another Node.js, other flags) is ignored by
// V8 and the bundle compiles as usual: slower, never wrong.
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

type ModuleWrapper = (
  exports: unknown,
  require: NodeJS.Require,
  module: Module,
  filename: string,
  dirname: string,
) => void;

/** The cache for the V8 flags in effect: only the heap cap varies between the ways we start. */
export function cacheFileFor(bundle: string, argv: readonly string[], nodeOptions: string | undefined): string {
  const heapMb = /--max-old-space-size=(\d+)/.exec(`${argv.join(' ')} ${nodeOptions ?? ''}`)?.[1];
  return heapMb === undefined ? `${bundle}.cache` : `${bundle}.heap-${heapMb}.cache`;
}

function boot(): void {
  const bundle = path.join(__dirname, 'executor.js');
  // Set only by the build's training start: compile fresh, then write what V8 compiled on exit.
  const writeTo = process.env.EXECUTOR_CODE_CACHE_OUT;
  const cacheFile = cacheFileFor(bundle, process.execArgv, process.env.NODE_OPTIONS);
  let cachedData: Buffer | undefined;
  if (writeTo === undefined) {
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      // No cache for these flags: compile as usual.
    }
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'latin1')), {
    filename: bundle,
    cachedData,
  });
  if (cachedData !== undefined && script.cachedDataRejected === true) {
    process.stderr.write(`executor: ${path.basename(cacheFile)} does not fit this Node.js; compiling instead\n`);
  }
  if (writeTo !== undefined) {
    process.once('exit', () => fs.writeFileSync(writeTo, script.createCachedData()));
  }
  const executor = new Module(bundle, module);
  executor.filename = bundle;
  const run = script.runInThisContext() as ModuleWrapper;
  run.call(executor.exports, executor.exports, createRequire(bundle), executor, bundle, __dirname);
}

if (require.main === module) boot();

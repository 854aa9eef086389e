// Reads the router's .cpuprofile files (node --cpu-prof) and prints where its busy time went: self
// time grouped into kernel calls, garbage collection, node's http/net/stream internals, the router's
// own code, the workspace libs and npm packages, then the top functions. Idle time is left out, so the
// shares add up to what the router actually spent. Usage: profile.ts <dir>
import fs from 'node:fs';
import path from 'node:path';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

// Native frames V8 reports for the syscalls of a socket write (their time is mostly the kernel's).
const SYSCALL_FRAMES = new Set([
  'writev',
  'writeLatin1String',
  'writeUtf8String',
  'writeBuffer',
  'writeAsciiString',
]);

function category(functionName: string, url: string): string {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (url === '')
    return SYSCALL_FRAMES.has(functionName) ? 'socket writes (syscalls)' : `native: ${functionName || '?'}`;
  if (url.startsWith('node:'))
    return /_http|net|stream|events|timers|task_queues|dns/.test(url)
      ? 'node http/net/streams'
      : 'node (other)';
  if (url.includes('/apps/sandbox-router/')) return 'sandbox-router code';
  if (url.includes('/libs/')) return 'workspace libs (service-kit, contracts)';
  if (url.includes('/node_modules/')) return `npm: ${url.split('/node_modules/').at(-1)!.split('/')[0]}`;
  return 'other';
}

function shortUrl(url: string): string {
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
    const byCategory = new Map<string, number>();
    const byFunction = new Map<string, number>();
    let busy = 0;
    let idle = 0;
    for (const node of profile.nodes) {
      const time = timeById.get(node.id) ?? 0;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)' || functionName === '(program)') {
        idle += time;
        continue;
      }
      busy += time;
      const group = category(functionName, url);
      byCategory.set(group, (byCategory.get(group) ?? 0) + time);
      const fn = `${functionName || '(anonymous)'}${url ? ` ${shortUrl(url)}:${lineNumber + 1}` : ''}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + time);
    }
    console.log(
      `\nrouter CPU profile ${file}: busy ${(busy / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s (startup included)`,
    );
    console.log('busy time by kind');
    console.log(top(byCategory, busy, 15));
    console.log('busy time by function (self)');
    console.log(top(byFunction, busy, 25));
  }
}

if (require.main === module) summarizeProfiles(process.argv[2] ?? '.');

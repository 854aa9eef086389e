// Who holds a TCP port, from /proc: the listening socket's inode in /proc/net/tcp{,6}, then the
// process with that inode among its /proc/<pid>/fd links. `make up` names the holder when a port is
// taken, and readiness checks that the port is held by the process the stack started (not by
// whatever else answers on it).
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import net from 'node:net';

export interface PortHolder {
  pid: number;
  command: string;
}

const LISTEN = '0A';

/** Inodes of the sockets listening on `port` (IPv4 and IPv6, any address). */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      const local = fields[1];
      if (!local || fields[3] !== LISTEN) continue;
      if (parseInt(local.split(':')[1] ?? '', 16) === port && fields[9]) inodes.add(fields[9]);
    }
  }
  return inodes;
}

/** The process listening on `port`, or undefined when there is none or it is not visible to us. */
export function portHolder(port: number): PortHolder | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  const wanted = new Set([...inodes].map((i) => `socket:[${i}]`));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // Gone, or another user's process.
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      if (wanted.has(target)) return { pid: Number(entry), command: commandOf(Number(entry)) };
    }
  }
  return undefined;
}

function commandOf(pid: number): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const line = argv.join(' ');
    return line.length > 120 ? `${line.slice(0, 119)}…` : line;
  } catch {
    return 'unknown command';
  }
}

/** Whether 127.0.0.1:`port` can be bound right now. */
export function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Throws one error naming every fixed port that is taken and who holds it, before anything starts,
 * so a taken port never leaves half a stack behind.
 */
export async function assertPortsFree(ports: { name: string; port: number; hint: string }[]): Promise<void> {
  const problems: string[] = [];
  for (const { name, port, hint } of ports) {
    if (port === 0 || (await canBind(port))) continue;
    const holder = portHolder(port);
    problems.push(
      `port ${port} (${name}) is in use by ${holder ? `pid ${holder.pid} (${holder.command})` : 'a process this user cannot see'}; stop it or choose another with ${hint}`,
    );
  }
  if (problems.length) throw new Error(problems.join('; '));
}

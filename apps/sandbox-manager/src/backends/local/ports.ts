// Loopback ports for local sandboxes. The kernel picks a free port (listen on 0, read it, close);
// ports handed out and not yet released are remembered so two sandboxes never get the same one.
import net from 'node:net';

export class PortAllocator {
  private readonly held = new Set<number>();

  constructor(private readonly host = '127.0.0.1') {}

  get inUse(): number {
    return this.held.size;
  }

  async allocate(): Promise<number> {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const port = await freePort(this.host);
      if (!this.held.has(port)) {
        this.held.add(port);
        return port;
      }
    }
    throw new Error('no free loopback port after 20 attempts');
  }

  release(port: number): void {
    this.held.delete(port);
  }
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

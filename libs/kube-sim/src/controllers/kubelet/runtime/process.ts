// One run of a declared-behaviour container: steps through its Program on the kubelet's timers
// (one simulated second is `msPerSecond` real milliseconds), writing log lines, keeping the files
// it creates and the ports it listens on (for probes), and ending with its exit code, or with
// OOMKilled (137) as soon as its memory passes the container's limit, as the cgroup would.
// Bounded: at most MAX_LOG_LINES lines per run (the kubelet rotates logs at 10 MiB), and a loop
// without a sleep is paced at one round per second by the compiler.
import { isStartFailure, type Program, type Step } from './program';

export interface ProcessHost {
  /** Runs `fn` after `ms`, unless the pod goes first. */
  later(ms: number, fn: () => void): void;
  log(line: string): void;
  exit(code: number, reason: 'Completed' | 'Error' | 'OOMKilled'): void;
  msPerSecond: number;
  /** `resources.limits.memory` in bytes. */
  memoryLimit?: number;
}

const MAX_LOG_LINES = 10_000;
/** Steps run without yielding before the rest waits for the next tick. */
const MAX_SYNC_STEPS = 1_000;

export class ContainerProcess {
  readonly files = new Map<string, string>();
  readonly ports = new Set<number>();
  private lines = 0;
  private done = false;

  constructor(
    private readonly program: Step[],
    private readonly host: ProcessHost,
  ) {}

  static fromProgram(program: Program, host: ProcessHost): ContainerProcess | undefined {
    return isStartFailure(program) ? undefined : new ContainerProcess(program, host);
  }

  get exited(): boolean {
    return this.done;
  }

  start(): void {
    this.run(this.program, 0, () => this.finish(0));
  }

  /** Killed from outside (liveness failure, pod deletion): no more steps run. */
  kill(): void {
    this.done = true;
  }

  private finish(code: number): void {
    if (this.done) return;
    this.done = true;
    // On the next tick: the exit is recorded after whoever started the process is done with it.
    this.host.later(0, () => this.host.exit(code, code === 0 ? 'Completed' : 'Error'));
  }

  private run(steps: Step[], from: number, then: () => void): void {
    for (let i = from, n = 0; i < steps.length; i++, n++) {
      if (this.done) return;
      if (n >= MAX_SYNC_STEPS) return this.host.later(0, () => this.run(steps, i, then));
      const step = steps[i];
      switch (step.op) {
        case 'log':
          if (this.lines++ < MAX_LOG_LINES) this.host.log(step.line);
          break;
        case 'file':
          this.files.set(step.path, step.content ?? '');
          break;
        case 'unlink':
          this.files.delete(step.path);
          break;
        case 'listen':
          this.ports.add(step.port);
          break;
        case 'memory':
          if (this.host.memoryLimit !== undefined && step.bytes > this.host.memoryLimit) {
            // The cgroup's OOM killer strikes once the allocation is under way.
            this.host.later(this.host.msPerSecond, () => {
              if (this.done) return;
              this.done = true;
              this.host.exit(137, 'OOMKilled');
            });
            return;
          }
          break;
        case 'exit':
          return this.finish(step.code);
        case 'sleep':
          if (step.seconds === Number.POSITIVE_INFINITY) return;
          return this.host.later(step.seconds * this.host.msPerSecond, () => this.run(steps, i + 1, then));
        case 'loop':
          return this.run(step.body, 0, () => this.run(steps, i, then));
      }
    }
    then();
  }
}

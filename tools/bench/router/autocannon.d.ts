// autocannon ships no types: the slice of its API the router bench uses.
declare module 'autocannon' {
  namespace autocannon {
    interface Result {
      requests: { average: number; total: number };
      latency: { p50: number; p99: number };
      non2xx: number;
      errors: number;
    }
  }
  function autocannon(
    options: { url: string; connections: number; duration: number; headers?: Record<string, string> },
    done: (err: Error | null, result: autocannon.Result) => void,
  ): void;
  export = autocannon;
}

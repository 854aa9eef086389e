import { SingleFlight } from './single-flight';

describe('SingleFlight', () => {
  it('runs one call per key at a time and shares its result with joiners', async () => {
    const flight = new SingleFlight<number>();
    let calls = 0;
    let release!: (value: number) => void;
    const work = () => {
      calls += 1;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const first = flight.run('t', work);
    const second = flight.run('t', work);
    const other = flight.run('u', async () => 7);
    release(42);
    await expect(first).resolves.toEqual({ value: 42, shared: false });
    await expect(second).resolves.toEqual({ value: 42, shared: true });
    await expect(other).resolves.toEqual({ value: 7, shared: false });
    expect(calls).toBe(1);
    expect(flight.size).toBe(0);
  });

  it('shares a failure and lets the next call start afresh', async () => {
    const flight = new SingleFlight<number>();
    let attempts = 0;
    const failing = () => {
      attempts += 1;
      return Promise.reject(new Error('boom'));
    };
    await expect(Promise.all([flight.run('t', failing), flight.run('t', failing)])).rejects.toThrow('boom');
    await expect(flight.run('t', async () => 1)).resolves.toEqual({ value: 1, shared: false });
    expect(attempts).toBe(1);
  });
});

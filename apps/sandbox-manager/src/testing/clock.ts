// A clock tests can move forward: real time plus an offset, so timers and watches keep working
// while TTLs and expiries see the future.
export interface TestClock {
  now: () => Date;
  advance(ms: number): void;
}

export function testClock(): TestClock {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance(ms) {
      offset += ms;
    },
  };
}

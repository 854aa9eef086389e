import { Demand } from './demand';

function demand(floor: number, ceiling: number) {
  let now = 1_000_000;
  const d = new Demand({ floor, ceiling, windowMs: 60_000, burstWaiting: 2, now: () => now });
  return { d, advance: (ms: number) => (now += ms) };
}

describe('Demand', () => {
  it('keeps the floor when nothing is asked for', () => {
    expect(demand(2, 8).d.desired()).toBe(2);
    expect(demand(0, 0).d.desired()).toBe(0);
  });

  it('refuses a floor above the ceiling or below zero', () => {
    expect(() => demand(3, 2)).toThrow('pool floor 3 must be between 0 and the ceiling 2');
    expect(() => demand(-1, 2)).toThrow('pool floor -1');
  });

  it('grows with the rate times the start time, within the ceiling, and shrinks as the window passes', () => {
    const { d, advance } = demand(1, 8);
    d.recordStart(2000);
    d.recordStart(2000);
    d.recordStart(2000);
    for (let i = 0; i < 120; i += 1) {
      d.recordAcquisition();
      advance(250);
    }
    // 120 acquisitions in the 60 s window: 2/s; the start time's average moved 1 s -> 1.66 s.
    expect(d.rate()).toBe(2);
    expect(d.startSeconds()).toBeCloseTo(1.657, 3);
    // floor 1 + round(2/s x 1.657 s) = 4
    expect(d.desired()).toBe(4);
    for (let i = 0; i < 240; i += 1) d.recordAcquisition();
    expect(d.desired()).toBe(8);
    advance(61_000);
    expect(d.rate()).toBe(0);
    expect(d.desired()).toBe(1);
  });

  it('goes to the ceiling when several acquisitions wait, and stays there for one window', () => {
    const { d, advance } = demand(0, 6);
    d.observeWaiting(1);
    expect(d.mode).toBe('steady');
    d.observeWaiting(2);
    expect(d.mode).toBe('burst');
    expect(d.desired()).toBe(6);
    advance(59_000);
    expect(d.desired()).toBe(6);
    advance(2_000);
    expect(d.mode).toBe('steady');
    expect(d.desired()).toBe(0);
  });

  it('a ceiling of 0 keeps nothing warm, even in a burst', () => {
    const { d } = demand(0, 0);
    d.observeWaiting(50);
    expect(d.desired()).toBe(0);
  });
});

import { RateLimitedError } from '@foxhound/service-kit';
import { QueueTimeoutError, WaitQueue } from './wait-queue';

const queue = (maxWaiting: number, maxWaitMs: number) =>
  new WaitQueue<string>({ maxWaiting, maxWaitMs, retryAfterSeconds: () => 2.2 });

describe('WaitQueue', () => {
  it('serves waiters first come, first served', async () => {
    const q = queue(10, 10_000);
    const first = q.wait();
    const second = q.wait();
    expect(q.size).toBe(2);
    expect(q.offer('a')).toBe(true);
    expect(q.offer('b')).toBe(true);
    expect(q.offer('c')).toBe(false);
    await expect(first).resolves.toBe('a');
    await expect(second).resolves.toBe('b');
    expect(q.size).toBe(0);
  });

  it('429 with Retry-After beyond maxWaiting', async () => {
    const q = queue(1, 10_000);
    const kept = q.wait();
    const refused = q.wait();
    await expect(refused).rejects.toBeInstanceOf(RateLimitedError);
    await expect(refused).rejects.toMatchObject({
      status: 429,
      headers: { 'retry-after': '3' },
      message: expect.stringContaining('SANDBOX_QUEUE_MAX=1'),
    });
    q.offer('x');
    await expect(kept).resolves.toBe('x');
  });

  it('503 with Retry-After when the wait runs out, and the waiter leaves the queue', async () => {
    const q = queue(5, 20);
    const waiting = q.wait();
    await expect(waiting).rejects.toBeInstanceOf(QueueTimeoutError);
    await expect(waiting).rejects.toMatchObject({ status: 503, headers: { 'retry-after': '3' } });
    expect(q.size).toBe(0);
    expect(q.offer('late')).toBe(false);
  });

  it('a failed start fails the longest waiter with its cause; failAll empties the queue', async () => {
    const q = queue(5, 10_000);
    const first = q.wait();
    const second = q.wait();
    const third = q.wait();
    expect(q.failOne(new Error('exit 3'))).toBe(true);
    await expect(first).rejects.toThrow('exit 3');
    q.failAll(new Error('shutting down'));
    await expect(second).rejects.toThrow('shutting down');
    await expect(third).rejects.toThrow('shutting down');
    expect(q.size).toBe(0);
  });
});

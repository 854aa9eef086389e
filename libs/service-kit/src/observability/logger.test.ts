import { Writable } from 'node:stream';
import { createLogger } from './logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'test', level: 'info', destination }) };
}

describe('createLogger', () => {
  it('redacts secrets quoted in a message, and fields named like a secret', () => {
    const { lines, logger } = capture();
    logger.info({ config: { password: 'hunter2' } }, 'connecting to postgres://orders:S3cret@db:5432/orders');
    expect(lines[0]).toMatchObject({
      msg: 'connecting to postgres://orders:[redacted]@db:5432/orders',
      config: { password: '[redacted]' },
    });
  });

  it('leaves an ordinary message as it is', () => {
    const { lines, logger } = capture();
    logger.info('listening on 0.0.0.0:8000');
    expect(lines[0]).toMatchObject({ msg: 'listening on 0.0.0.0:8000', service: 'test' });
  });
});

import { type StreamEvent } from '@foxhound/contracts';
import { printable } from './printable';
import { plain } from './style';
import { renderEvent } from './stream';

describe('text from the cluster reaches the terminal without control characters', () => {
  it('strips escape sequences, bells and C1 controls at any depth, keeping tabs and newlines', () => {
    expect(printable({ a: ['x\x1b]0;owned\x07y', { b: 'tab\tnew\nline\x9b2J' }], n: 1 })).toStrictEqual({
      a: ['x]0;ownedy', { b: 'tab\tnew\nline2J' }],
      n: 1,
    });
  });

  it('renders a hostile thought as plain text', () => {
    const event = { type: 'thought', data: { text: 'log says \x1b[2J\x1b[31mred' }, thread_id: 't', timestamp: '' } as StreamEvent;
    expect(renderEvent(event, 1500, plain)).toStrictEqual(['  1.5s log says [2J[31mred']);
  });
});

// Builders for valid contract objects, so each test states only what it is about.
import { makeEvent, type Proposal, type StreamEvent } from '@foxhound/contracts';
import { type NewInvestigation } from '../repositories/investigations';

let counter = 0;
export const unique = (prefix: string): string =>
  `${prefix}-${process.pid}-${++counter}-${Date.now().toString(36)}`;

export const newInvestigation = (overrides: Partial<NewInvestigation> = {}): NewInvestigation => ({
  threadId: unique('thread'),
  source: 'api',
  prompt: 'checkout is returning 500s\nsince the deploy at 10:00',
  principal: 'key:key_test',
  ...overrides,
});

export const thought = (text: string, threadId = 'thread-1'): StreamEvent =>
  makeEvent('thought', { text }, threadId);

export const result = (threadId = 'thread-1'): StreamEvent =>
  makeEvent('result', { text: 'done', success: true, subtype: 'success' }, threadId);

export const proposal = (overrides: Partial<Proposal> = {}): Proposal => ({
  id: unique('prop'),
  action: { type: 'ScaleDeployment', namespace: 'shop', name: 'checkout', replicas: 3 },
  summary: 'Scale checkout back to 3 replicas',
  evidence: [{ source: 'field', path: 'spec.replicas', excerpt: '0' }],
  expectedEffect: 'checkout serves traffic again',
  risk: 'low',
  rollback: { description: 'scale back to 0' },
  ...overrides,
});

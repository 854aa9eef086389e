// Builders for the model turns of a transcript, in the shapes the Messages API returns, and the
// documentation the cases cite for the API behaviour they exercise.
import { type FakeStep } from './fake-anthropic';

export const DOCS = {
  stopReasons: 'https://platform.claude.com/docs/en/build-with-claude/handling-stop-reasons',
  thinking: 'https://platform.claude.com/docs/en/build-with-claude/preserved-thinking',
  sonnet55: 'https://platform.claude.com/docs/en/models/sonnet-5-5/whats-new-sonnet-5-5',
  parallel: 'https://platform.claude.com/docs/en/agents-and-tools/tool-use/parallel-tool-use',
  debugPods: 'https://kubernetes.io/docs/tasks/debug/debug-application/debug-pods/',
  debugService: 'https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/',
  injection: 'https://genai.owasp.org/llmrisk/llm01-prompt-injection/',
};

export const think = (thinking: string) => ({ type: 'thinking' as const, thinking });
export const use = (name: string, input: unknown) => ({ type: 'tool_use' as const, name, input });
type Blocks = Extract<FakeStep, { kind: 'message' }>['content'];
export const turn = (match: string | undefined, ...content: Blocks): FakeStep => ({
  kind: 'message',
  content,
  ...(match ? { match } : {}),
});
export const answer = (text: string, match?: string): FakeStep => ({
  kind: 'message',
  content: [{ type: 'text', text }],
  stopReason: 'end_turn',
  ...(match ? { match } : {}),
});

// How the Claude provider fails: a ProviderError when the API itself fails (HTTP status or an error
// event in the stream), a ModelStopError when the model stopped in a way the turn cannot carry on
// from (refusal, a cut the continuation did not fix, a full context window, endless pauses). Both
// name the reason in words a human reads in the stream.
import { APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { ModelStopError, ProviderError } from './types';

/** An error event inside a 200 stream (no HTTP status) that the API marks as transient. */
export function retryableMidStream(err: unknown): boolean {
  return (
    err instanceof APIError &&
    err.status === undefined &&
    (err.type === 'overloaded_error' || err.type === 'api_error')
  );
}

/** The API's answer to a request longer than the context window is a 400 naming the prompt length. */
export function contextWindowError(err: unknown): ModelStopError | undefined {
  if (
    !(err instanceof APIError) ||
    err.status !== 400 ||
    !/prompt is too long|context window/i.test(err.message)
  )
    return undefined;
  return new ModelStopError(
    'error_context_window',
    `The conversation no longer fits the model's context window: ${err.message}`,
  );
}

export function toProviderError(err: unknown): ProviderError {
  if (err instanceof APIUserAbortError)
    return new ProviderError('The model request was aborted.', 'aborted', { cause: err });
  if (err instanceof APIError) {
    const kind = err.status !== undefined ? String(err.status) : (err.type ?? 'stream_error');
    // The API's own words, not the SDK's rendering of the whole error body.
    const body = err.error as { error?: { type?: string; message?: string } } | undefined;
    const said = body?.error?.message ? `${body.error.type ?? err.type}: ${body.error.message}` : err.message;
    const status = err.status === undefined ? '' : `${err.status} `;
    return new ProviderError(`The Claude API failed: ${status}${said}`, kind, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ProviderError(`The Claude API failed: ${message}`, 'client', { cause: err });
}

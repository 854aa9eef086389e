// SSE wire format: one frame per event, `id:`/`event:` lines that cannot carry CR or LF (they would
// forge extra fields), data split into one `data:` line per line of text.

export interface SseFrame {
  id?: string;
  event?: string;
  data: string;
}

const hasLineBreak = (value: string): boolean => /[\r\n]/.test(value);

export function formatSseFrame({ id, event, data }: SseFrame): string {
  if (id !== undefined && hasLineBreak(id)) throw new Error('SSE id must not contain CR or LF');
  if (event !== undefined && hasLineBreak(event)) throw new Error('SSE event name must not contain CR or LF');
  let frame = '';
  if (id !== undefined) frame += `id: ${id}\n`;
  if (event !== undefined) frame += `event: ${event}\n`;
  for (const line of data.split(/\r\n|\r|\n/)) frame += `data: ${line}\n`;
  return `${frame}\n`;
}

export function formatSseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}

// Identifier formats shared by every service. Thread ids come from users, so they are validated
// before they reach a label, a name or a log line.
import { z } from 'zod';

/** Client-chosen conversation id. Letters, digits, `-`, `_`, `.`; no leading punctuation. */
export const THREAD_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const ThreadIdSchema = z
  .string()
  .regex(THREAD_ID_PATTERN, 'thread id must be 1-128 characters of letters, digits, ".", "_" or "-"');
export type ThreadId = z.infer<typeof ThreadIdSchema>;

/** RFC 1123 DNS label: the shape of a Kubernetes object name used as a hostname. */
export const DNS_LABEL_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const DnsLabelSchema = z.string().regex(DNS_LABEL_PATTERN, 'must be an RFC 1123 DNS label');

/** A Kubernetes object reference as findings, proposals and events name it. */
export const ObjectRefSchema = z.object({
  kind: z.string().min(1),
  name: z.string().min(1),
  namespace: z.string().optional(),
  apiVersion: z.string().optional(),
});
export type ObjectRef = z.infer<typeof ObjectRefSchema>;

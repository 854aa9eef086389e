// Kubernetes name formats, checked before a user-supplied value becomes part of an API path.
import { z } from 'zod';

/** RFC 1123 subdomain: most object names (deployments, pods, quotas). */
export const DNS_SUBDOMAIN_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const ObjectNameSchema = z
  .string()
  .max(253)
  .regex(DNS_SUBDOMAIN_PATTERN, 'must be a Kubernetes object name (RFC 1123 subdomain)');

export const NamespaceSchema = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name (RFC 1123 label)');

/** A container name inside a pod spec. */
export const ContainerNameSchema = NamespaceSchema;

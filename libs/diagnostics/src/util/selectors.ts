// Label selector matching (matchLabels plus matchExpressions) as the API server evaluates it.
import { type LabelSelector, type Labels } from '../snapshot';

/** Equality-only selectors, as Services and ReplicationControllers carry them. */
export function matchesLabels(labels: Labels | undefined, selector: Labels | undefined): boolean {
  if (!selector) return false;
  for (const key in selector) {
    if (labels?.[key] !== selector[key]) return false;
  }
  return true;
}

/**
 * Full `LabelSelector` semantics. An empty selector (`{}`) selects everything; a missing one
 * (`undefined`) selects nothing, as in NetworkPolicy peers and PodDisruptionBudgets.
 */
export function matchesSelector(labels: Labels | undefined, selector: LabelSelector | undefined): boolean {
  if (!selector) return false;
  const own = labels ?? {};
  for (const key in selector.matchLabels ?? {}) {
    if (own[key] !== selector.matchLabels![key]) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(own, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
        if (!has || !values.includes(own[req.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(own[req.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** `app=web,tier=front` for messages. */
export function formatSelector(selector: Labels | LabelSelector | undefined): string {
  if (!selector) return '<none>';
  const isLabelSelector = 'matchLabels' in selector || 'matchExpressions' in selector;
  const labels = (isLabelSelector ? (selector as LabelSelector).matchLabels : selector) as Labels | undefined;
  const parts = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  if (isLabelSelector) {
    for (const req of (selector as LabelSelector).matchExpressions ?? []) {
      parts.push(`${req.key} ${req.operator}${req.values?.length ? ` (${req.values.join(',')})` : ''}`);
    }
  }
  return parts.length ? parts.join(',') : '<all>';
}

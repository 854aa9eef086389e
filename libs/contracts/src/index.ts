// @foxhound/contracts: every HTTP body, SSE event, header name and CRD shape shared between Foxhound
// services, as a zod schema with its inferred type. One source of truth; services import, never
// redefine. Depends on zod only.
export * from './actions';
export * from './agent-sandbox';
export * from './alerts';
export * from './errors';
export * from './events';
export * from './execute';
export * from './findings';
export * from './gateway';
export * from './gitops';
export * from './headers';
export * from './ids';
export * from './kubernetes';
export * from './object-edits';
export * from './pre-image';
export * from './proposals';
export * from './quantity';
export * from './remediation';
export * from './report';
export * from './resource-bounds';
export * from './sandbox';
export * from './scenario';
export * from './scenario-score';
export * from './selector-check';
export * from './snapshot';
export * from './store';

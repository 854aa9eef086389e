// The analyzers' typed view of a cluster snapshot. The interfaces name only the fields the analyzers
// read, optional where the API server may omit them, so a snapshot from any cluster type-checks as is.
export type { ContainerLog, SnapshotGap, SnapshotKind } from '@foxhound/contracts';
export { SNAPSHOT_KINDS } from '@foxhound/contracts';
export * from './meta';
export * from './pods';
export * from './workloads';
export * from './networking';
export * from './cluster';
export * from './snapshot';

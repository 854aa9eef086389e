// @foxhound/diagnostics: LLM-free analyzers that turn one snapshot of a cluster scope (objects,
// events, bounded logs, optional metrics) into ranked findings that name the cause, with evidence, and
// typed fixes with risk and rollback. The offline engine behind `make demo`, and the tool set the
// language-model agent calls. Pure: no I/O, no network; `@foxhound/kube` collects the snapshot.
export { type Analyzer, coreAnalyzers, optionalAnalyzers } from './analyzers';
export { type AnalysisResult, type AnalyzerError, isProblem, runAnalyzers } from './runner';
export { rank, type RankedGroup, type RankOptions, type Ranking } from './rank';
export { affectedOf, diagnose, type DiagnoseOptions, type Diagnosis, type TimelineEntry } from './diagnose';
export { focusNote, rootCauseSentence, toReport } from './report/to-report';
export { type CalibrationClass, type CalibrationTable, confidenceOf } from './confidence/confidence';
export { extractTerms, type Focus, type FocusInput, type FocusMatch, matchName, resolveFocus } from './focus';
export { lookup, type Lookup, PROTECTED_NAMESPACES, TARGET_LIST } from './lookup';
export * from './snapshot';
// Cause-finders, for the agent's tools.
export {
  classifyLogs,
  decisiveSignal,
  describeSignal,
  type LogSignal,
  type LogSignalKind,
} from './causes/logs';
export { findHostPort, listeningPorts } from './causes/log-targets';
// The log model and what a log says about a process Kubernetes calls healthy.
export { analyzeLog, type AnalyzeOptions } from './logs/analyze';
export {
  type EndpointStats,
  type LogAnalysis,
  type LogEntities,
  type LogEvent,
  type LogFormat,
  type LogGaps,
  type LogSeverity,
  type LogTemplate,
} from './logs/types';
export { type LogHealth, logHealth, quoteTemplate, windowOf } from './causes/log-health';
export {
  describeQuotaLine,
  parseLimitRangeRefusal,
  parseQuotaRefusal,
  quotaArithmetic,
  type QuotaLine,
} from './causes/quota';
export { podAmounts } from './causes/requests';
export { dnsEgress, evaluateTraffic, endOfPod, type TrafficEnd, type TrafficVerdict } from './causes/netpol';
export { classifyPullFailure, closestImages, parseImage, type ImageRef } from './causes/images';
export { changesOf, rolloutOf, templateDiff, type Change, type Rollout } from './causes/changes';
export { resolveHost, serviceGraph, type Dependency, type ServiceGraph } from './causes/graph';
export { explainProbe } from './causes/probes';
export { cpuThrottling, memoryUsage } from './causes/usage';
export { parseQuantity, formatQuantity } from './util/quantity';

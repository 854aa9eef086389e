// Pod analyzer: every pod and container problem k8sgpt's Pod analyzer reports, explained (see
// pod-containers.ts and pod-pending.ts), then grouped so the replicas of one workload failing the
// same way make one finding, and checked against the workload's latest rollout: a failure that began
// with a new template is pinned on that change, with a rollback to the revision that worked.
import { type Finding, isEditAction, type ObjectRef } from '@foxhound/contracts';
import { suspectConfigChange, suspectRollout } from '../causes/changes';
import { lookup, type Lookup } from '../lookup';
import { type ClusterSnapshot, type Pod, type PodTemplateSpec } from '../snapshot';
import { suggestRollback } from '../suggestions';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { describeRef, refKey, refOf } from '../util/refs';
import { containerProblems } from './pod-containers';
import { podLevelProblems } from './pod-pending';
import { type Analyzer, type PodProblem } from './types';

interface Group {
  workload?: ObjectRef;
  problem: PodProblem;
  pod: Pod;
  pods: Pod[];
}

function restarts(pod: Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce((n, s) => n + s.restartCount, 0);
}

/** Does the rollout's diff touch what the cause names (its image, env var, host), or the container at all? */
function rolloutExplains(diff: string[], problem: PodProblem): boolean {
  if (problem.culprit && problem.culprit.kind !== 'Pod') {
    // The cause lies elsewhere (a dependency, a policy): only a diff naming it is to blame.
    return !!problem.subject && diff.some((d) => d.includes(problem.subject!));
  }
  if (problem.subject && diff.some((d) => d.includes(problem.subject!))) return true;
  return (
    !!problem.container &&
    diff.some((d) => d.startsWith(`container ${problem.container} `) || d.startsWith('volumes '))
  );
}

/** Pins the finding on the workload's latest rollout when the rollout explains it; true when it did. */
function pinOnRollout(l: Lookup, group: Group, finding: Finding): boolean {
  if (!group.problem.failing) return false;
  const suspicion = suspectRollout(l, group.workload, group.pods);
  if (!suspicion || !rolloutExplains(suspicion.rollout.diff, group.problem)) return false;
  const { deployment, rollout } = suspicion;
  // The changes that name what the cause names come first: they are the ones to read.
  const subject = group.problem.subject;
  const diff = subject
    ? [
        ...rollout.diff.filter((d) => d.includes(subject)),
        ...rollout.diff.filter((d) => !d.includes(subject)),
      ]
    : rollout.diff;
  finding.evidence.push(
    evidence.analysis(
      `${suspicion.why}; revision ${rollout.currentRevision} changed: ${diff.join('; ')}`,
      refOf('Deployment', deployment),
    ),
  );
  finding.cause += `; this began with revision ${rollout.currentRevision} of Deployment ${deployment.metadata.name} (${diff.slice(0, 2).join('; ')})`;
  finding.confidence = Math.min(0.97, finding.confidence + 0.05);
  // The failure began with this rollout: undoing the rollout is the exact fix, preferred to a
  // typed edit of the new template (an image patch the problem computed is kept).
  if (!finding.suggestion || isEditAction(finding.suggestion.action))
    finding.suggestion =
      suggestRollback(deployment, rollout, `the failure began with revision ${rollout.currentRevision}`) ??
      finding.suggestion;
  return true;
}

/** The template the group's pods run: their workload's, or the pod's own spec. */
function templateOf(l: Lookup, group: Group): PodTemplateSpec {
  const w = group.workload;
  const owner =
    w?.kind === 'Deployment'
      ? l.get('deployments', w.namespace, w.name)
      : w?.kind === 'StatefulSet'
        ? l.get('statefulSets', w.namespace, w.name)
        : w?.kind === 'DaemonSet'
          ? l.get('daemonSets', w.namespace, w.name)
          : undefined;
  return owner?.spec.template ?? { metadata: group.pod.metadata, spec: group.pod.spec };
}

/** Pins the finding on a ConfigMap or Secret edited just before the failures, when no rollout explains them. */
function pinOnConfigChange(l: Lookup, group: Group, finding: Finding): boolean {
  // A failure with its cause elsewhere (a dependency) or an image that cannot be pulled is not a config edit.
  if (!group.problem.failing || group.problem.culprit || group.problem.reason === 'ImagePullBackOff')
    return false;
  const suspicion = suspectConfigChange(l, templateOf(l, group), group.pods);
  if (!suspicion) return false;
  // No ref: a ref would claim the ConfigMap's own finding (if any) as the cause; the edit itself is the evidence.
  finding.evidence.push(evidence.analysis(suspicion.what));
  finding.cause += `; ${suspicion.what}`;
  return true;
}

/**
 * A reference to configuration the cluster lacks, as a finding of its own: the missing object is
 * what to fix (create it, or point the workload elsewhere), and the pods' finding is filed under it.
 */
function missingReference(group: Group, podFinding: Finding): Finding {
  const { ref, description } = group.problem.missing!;
  const who = group.workload ? describeRef(group.workload) : describeRef(refOf('Pod', group.pod));
  podFinding.evidence.push(evidence.analysis(description, ref));
  return makeFinding('pod', `${ref.kind}NotFound`, ref, {
    severity: 'high',
    symptom: `${who} references ${describeRef(ref)}, and ${group.pods.length} pod(s) cannot start`,
    cause: description,
    evidence: podFinding.evidence.filter((e) => e.source !== 'analysis').slice(0, 3),
    confidence: 0.9,
    docs: ref.kind === 'Secret' ? DOCS.secrets : ref.kind === 'ConfigMap' ? DOCS.configMaps : DOCS.pvc,
    // The reference re-pointed at what exists is the fix of this root cause too.
    suggestion: podFinding.suggestion,
  });
}

function toFindings(l: Lookup, group: Group): Finding[] {
  const { problem, pod, pods, workload } = group;
  const podRef = refOf('Pod', pod);
  const total = workload ? l.podsOf(workload).filter((p) => p.status?.phase !== 'Succeeded').length : 1;
  const where = workload
    ? `${pods.length} of ${total} pod(s) of ${describeRef(workload)}`
    : `Pod ${pod.metadata.namespace}/${pod.metadata.name}`;
  const allFailing = problem.failing && workload && pods.length >= total;
  const ev = problem.evidence.map((e) => (e.ref || e.source === 'analysis' ? e : { ...e, ref: podRef }));
  if (
    problem.culprit &&
    !ev.some((e) => e.source === 'analysis' && e.ref && refKey(e.ref) === refKey(problem.culprit!))
  ) {
    ev.push(evidence.analysis(`the fault lies with ${describeRef(problem.culprit)}`, problem.culprit));
  }
  if (pods.length > 1)
    ev.push(
      evidence.analysis(
        `same problem on ${pods
          .map((p) => p.metadata.name)
          .slice(0, 5)
          .join(', ')}${pods.length > 5 ? ', …' : ''}`,
      ),
    );
  const reasonKey = problem.container ? `${problem.reason}/${problem.container}` : problem.reason;
  const finding = makeFinding('pod', reasonKey.split('/')[0], podRef, {
    parent: workload,
    severity: allFailing && problem.severity === 'high' ? 'critical' : problem.severity,
    symptom: `${where}: ${problem.symptom}`,
    cause: problem.cause,
    evidence: ev,
    confidence: problem.confidence,
    suggestion: problem.suggestion,
    docs: problem.docs,
  });
  if (problem.container) finding.id += `/${problem.container}`;
  const pinned = pinOnRollout(l, group, finding) || pinOnConfigChange(l, group, finding);
  return problem.missing && !pinned ? [missingReference(group, finding), finding] : [finding];
}

export const podAnalyzer: Analyzer = {
  name: 'pod',
  kinds: ['Pod'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    const groups = new Map<string, Group>();
    for (const pod of l.list('pods')) {
      if (pod.status?.phase === 'Succeeded') continue;
      const problems = [...podLevelProblems(l, pod), ...containerProblems(l, pod)];
      if (!problems.length) continue;
      const workload = l.workloadOf(pod);
      for (const problem of problems) {
        const key = `${workload ? refKey(workload) : refKey(refOf('Pod', pod))}|${problem.reason}|${problem.container ?? ''}`;
        const group = groups.get(key);
        if (!group) groups.set(key, { workload, problem, pod, pods: [pod] });
        else {
          group.pods.push(pod);
          // The pod with the most restarts (and so the richest logs) represents the group.
          if (
            restarts(pod) > restarts(group.pod) ||
            (problem.confidence > group.problem.confidence && restarts(pod) === restarts(group.pod))
          ) {
            group.pod = pod;
            group.problem = problem;
          }
        }
      }
    }
    return [...groups.values()].flatMap((g) => toFindings(l, g));
  },
};

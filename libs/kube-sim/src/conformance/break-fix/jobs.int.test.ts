// Break-then-fix, Jobs. From the Kubernetes docs "Jobs"
// (https://kubernetes.io/docs/concepts/workloads/controllers/job/): "Pod backoff failure policy"
// (a Job whose pods keep failing is Failed with reason BackoffLimitExceeded once backoffLimit is
// passed, after FailureTarget), "Job termination and cleanup" (activeDeadlineSeconds:
// DeadlineExceeded), "Completion mode" (Indexed: completedIndexes), "Suspending a Job", and the
// template's restartPolicy ("Only a RestartPolicy equal to Never or OnFailure is allowed"); and
// "CronJob" (https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax:
// five fields), refused with the cron parser's own error.
// Messages are the Job controller's (pkg/controller/job) and the API server's validation.
import { podsPath, useCluster } from '../../testing/cluster';
import { watchUntil } from '../../testing/watch-until';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const c = useCluster();

const jobsPath = (ns: string) => `/apis/batch/v1/namespaces/${ns}/jobs`;
const conditionTypes = (j: Json) =>
  ((j.status?.conditions ?? []) as Json[]).map((x) => `${x.type}=${x.status}`);
const job = (
  name: string,
  command: string,
  extra = '',
  restartPolicy = 'restartPolicy: Never',
) => `apiVersion: batch/v1
kind: Job
metadata: {name: ${name}}
spec:
${extra}  template:
    spec:
      ${restartPolicy}
      containers:
      - name: main
        image: busybox:1.36
        command: [sh, -c, "${command}"]
`;

describe('Jobs run to completion, back off, fail and are fixed by a new Job', () => {
  it('a failing command exhausts backoffLimit (BackoffLimitExceeded); a fixed Job completes', async () => {
    const ns = await c.namespace('job-backoff');
    await c.apply(ns, job('migrate', 'echo connecting to db; exit 1', '  backoffLimit: 2\n'));
    const failed = await c.waitFor(jobsPath(ns), 'migrate', (j) => conditionTypes(j).includes('Failed=True'));
    expect(failed.status).toMatchObject({ failed: 3, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(failed.status.succeeded).toBeUndefined();
    expect(failed.status.active).toBeUndefined();
    expect(failed.status.conditions).toEqual([
      expect.objectContaining({
        type: 'FailureTarget',
        status: 'True',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
      }),
      expect.objectContaining({
        type: 'Failed',
        status: 'True',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
      }),
    ]);
    // The generated selector and the pods it made: three, all Failed, finalizers released.
    const uid = failed.metadata.uid;
    expect(failed.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    const pods = JSON.parse(await c.ok(ns, 'get', 'pods', '-l', 'job-name=migrate', '-o', 'json'))
      .items as Json[];
    expect(pods.map((p) => p.status.phase)).toEqual(['Failed', 'Failed', 'Failed']);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^migrate-[a-z0-9]{5}$/);
      expect(p.metadata.finalizers ?? []).toEqual([]);
      expect(p.metadata.labels).toMatchObject({
        'batch.kubernetes.io/job-name': 'migrate',
        'controller-uid': uid,
      });
    }
    expect(await c.ok(ns, 'logs', pods[0].metadata.name)).toBe('connecting to db\n');
    const events = await c.events(ns, 'involvedObject.name=migrate');
    expect(events.filter((e) => e.reason === 'SuccessfulCreate')).toHaveLength(3);
    expect(events.find((e) => e.reason === 'BackoffLimitExceeded')).toMatchObject({
      type: 'Warning',
      message: 'Job has reached the specified backoff limit',
      source: { component: 'job-controller' },
    });
    expect(await c.ok(ns, 'get', 'job', 'migrate')).toMatch(/\nmigrate\s+Failed\s+0\/1\s+\S+\s+\S+\n$/);

    // The fix: a Job's template cannot change, so the Job is replaced.
    await c.ok(ns, 'delete', 'job', 'migrate');
    await watchUntil(c.kc, podsPath(ns), (ps) => ps.length === 0);
    await c.apply(ns, job('migrate', 'echo connecting to db; echo migrated', '  backoffLimit: 2\n'));
    const complete = await c.waitFor(jobsPath(ns), 'migrate', (j) =>
      conditionTypes(j).includes('Complete=True'),
    );
    expect(complete.status).toMatchObject({ succeeded: 1, ready: 0, terminating: 0 });
    expect(complete.status.conditions.map((x: Json) => [x.type, x.reason, x.message])).toEqual([
      ['SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ['Complete', 'CompletionsReached', 'Reached expected number of succeeded pods'],
    ]);
    expect(Date.parse(complete.status.completionTime)).toBeGreaterThanOrEqual(
      Date.parse(complete.status.startTime),
    );
    expect((await c.events(ns, 'reason=Completed'))[0]).toMatchObject({ message: 'Job completed' });
    expect(await c.ok(ns, 'get', 'job', 'migrate')).toMatch(/\nmigrate\s+Complete\s+1\/1\s+\d+s\s+\S+\n$/);
  });

  it('restartPolicy OnFailure counts container restarts against backoffLimit', async () => {
    const ns = await c.namespace('job-onfailure');
    await c.apply(ns, job('report', 'exit 3', '  backoffLimit: 1\n', 'restartPolicy: OnFailure'));
    const failed = await c.waitFor(jobsPath(ns), 'report', (j) => conditionTypes(j).includes('Failed=True'));
    expect(failed.status.conditions.at(-1)).toMatchObject({ reason: 'BackoffLimitExceeded' });
    // The one pod restarted in place and was then deleted; deleted before finishing, it counts as failed.
    expect(failed.status.failed).toBe(1);
    await watchUntil(c.kc, podsPath(ns), (ps) => ps.length === 0);
  });

  it('a Job without restartPolicy Never or OnFailure is refused by the API server', async () => {
    const ns = await c.namespace('job-policy');
    const file = job('bad', 'true', '', 'restartPolicy: Always');
    await expect(c.apply(ns, file)).rejects.toThrow(
      `The Job "bad" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"`,
    );
    const unset = `apiVersion: batch/v1
kind: Job
metadata: {name: bad}
spec:
  template:
    spec:
      containers: [{name: main, image: busybox:1.36}]
`;
    await expect(c.apply(ns, unset)).rejects.toThrow(
      'spec.template.spec.restartPolicy: Unsupported value: "Always"',
    );
  });

  it('a CronJob whose schedule has four fields is refused with the cron parser error; five are accepted', async () => {
    const ns = await c.namespace('cronjob-schedule');
    const cronJob = (schedule: string) => `apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "${schedule}"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: main, image: busybox:1.36, command: [sh, -c, "echo report"]}]
`;
    await expect(c.apply(ns, cronJob('*/5 * * *'))).rejects.toThrow(
      'The CronJob "nightly" is invalid: spec.schedule: Invalid value: "*/5 * * *": expected exactly 5 fields, found 4: */5 * * *',
    );
    await expect(c.apply(ns, cronJob('0 24 * * *'))).rejects.toThrow(
      'spec.schedule: Invalid value: "0 24 * * *": end of range (24) above maximum (23): 24',
    );
    await c.apply(ns, cronJob('*/5 * * * *'));
    expect((await c.get(ns, 'cronjob', 'nightly')).spec.schedule).toBe('*/5 * * * *');
  });

  it('activeDeadlineSeconds ends a Job that runs too long (DeadlineExceeded), and its pods go', async () => {
    const ns = await c.namespace('job-deadline');
    await c.apply(ns, job('crawl', 'sleep 86400', '  activeDeadlineSeconds: 1\n'));
    const failed = await c.waitFor(jobsPath(ns), 'crawl', (j) => conditionTypes(j).includes('Failed=True'));
    expect(failed.status.conditions.map((x: Json) => [x.type, x.reason, x.message])).toEqual([
      ['FailureTarget', 'DeadlineExceeded', 'Job was active longer than specified deadline'],
      ['Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline'],
    ]);
    expect((await c.events(ns, 'reason=DeadlineExceeded'))[0]).toMatchObject({ type: 'Warning' });
    await watchUntil(c.kc, podsPath(ns), (ps) => ps.length === 0);
  });

  it('an Indexed Job runs one pod per index and reports completedIndexes', async () => {
    const ns = await c.namespace('job-indexed');
    await c.apply(
      ns,
      job('shard', 'echo done', '  completions: 3\n  parallelism: 3\n  completionMode: Indexed\n'),
    );
    const done = await c.waitFor(jobsPath(ns), 'shard', (j) => conditionTypes(j).includes('Complete=True'));
    expect(done.status).toMatchObject({ succeeded: 3, completedIndexes: '0-2' });
    const pods = JSON.parse(await c.ok(ns, 'get', 'pods', '-o', 'json')).items as Json[];
    expect(
      pods.map((p) => p.metadata.annotations['batch.kubernetes.io/job-completion-index']).sort(),
    ).toEqual(['0', '1', '2']);
    for (const p of pods) {
      const i = p.metadata.annotations['batch.kubernetes.io/job-completion-index'];
      expect(p.metadata.name).toMatch(new RegExp(`^shard-${i}-[a-z0-9]{5}$`));
      expect(p.spec.hostname).toBe(`shard-${i}`);
    }
  });

  it('suspending a Job deletes its pods (Suspended); resuming runs it to completion', async () => {
    const ns = await c.namespace('job-suspend');
    await c.apply(ns, job('batch', 'sleep 86400', '  suspend: true\n'));
    const suspended = await c.waitFor(jobsPath(ns), 'batch', (j) =>
      conditionTypes(j).includes('Suspended=True'),
    );
    expect(suspended.status.conditions[0]).toMatchObject({
      reason: 'JobSuspended',
      message: 'Job suspended',
    });
    expect(await c.ok(ns, 'get', 'job', 'batch')).toMatch(/\nbatch\s+Suspended\s+0\/1\s+/);
    expect(JSON.parse(await c.ok(ns, 'get', 'pods', '-o', 'json')).items).toEqual([]);
    await c.ok(ns, 'patch', 'job', 'batch', '--type=merge', '-p', '{"spec":{"suspend":false}}');
    const resumed = await c.waitFor(jobsPath(ns), 'batch', (j) => j.status?.active === 1);
    expect(resumed.status.conditions[0]).toMatchObject({
      type: 'Suspended',
      status: 'False',
      reason: 'JobResumed',
    });
    expect((await c.events(ns, 'reason=Resumed'))[0]).toMatchObject({ message: 'Job resumed' });
  });
});

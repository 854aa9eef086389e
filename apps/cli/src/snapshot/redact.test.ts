import { REDACTED, redactObject } from './redact';

describe('redactObject', () => {
  it('replaces secret-named env values in pods, workload templates and CronJobs, and last-applied', () => {
    const env = [
      { name: 'DB_PASSWORD', value: 'hunter2' },
      { name: 'API_KEY', value: 'sk-live-123' },
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'SESSION_TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
    ];
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"env":"hunter2"}' } },
      spec: { containers: [{ name: 'c', env: structuredClone(env) }], initContainers: [{ name: 'i', env: structuredClone(env) }] },
    };
    const { object, count } = redactObject(pod);
    expect(count).toBe(5);
    expect(JSON.stringify(object)).not.toMatch(/hunter2|sk-live/);
    expect((object as unknown as typeof pod).spec.containers[0]!.env).toStrictEqual([
      { name: 'DB_PASSWORD', value: REDACTED },
      { name: 'API_KEY', value: REDACTED },
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'SESSION_TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
    ]);
    expect(pod.spec.containers[0]!.env[0]!.value).toBe('hunter2');

    const cron = {
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', env: structuredClone(env) }] } } } } },
    };
    expect(redactObject(cron).count).toBe(2);
  });

  it('replaces every value of a Secret', () => {
    const { object, count } = redactObject({ kind: 'Secret', metadata: { name: 's' }, data: { a: 'eA==', b: 'eQ==' } });
    expect(count).toBe(2);
    expect(object).toMatchObject({ data: { a: REDACTED, b: REDACTED } });
  });
});

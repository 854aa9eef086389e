// The PrometheusRule and the Grafana dashboard ask only for metrics the services really export: the
// names come from the services' own metric factories (their registries, as each service builds
// them), not from a list kept here; plus the monitors select the pods and ports that serve /metrics.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createServiceMetrics } from '@foxhound/service-kit';
import { createExecutorMetrics } from '../../../../apps/executor/src/observability/metrics';
import { createGatewayMetrics } from '../../../../apps/gateway/src/observability/metrics';
import { createManagerMetrics } from '../../../../apps/sandbox-manager/src/observability/metrics';
import { createRouterMetrics } from '../../../../apps/sandbox-router/src/observability/metrics';
import { chartDir } from '../support/repo';
import { componentOf, getObject, ofKind, podTemplates, selects, spec } from './manifests';
import { renderObjects } from './render';
import { VARIANTS } from './variants';

/** Every series name a scrape of the four services can return (histograms with their suffixes). */
async function exportedNames(): Promise<Set<string>> {
  const gateway = createServiceMetrics('gateway');
  createGatewayMetrics(gateway, () => 0);
  const manager = createServiceMetrics('sandbox-manager');
  createManagerMetrics(manager.registry, manager.prefix);
  const router = createServiceMetrics('sandbox-router');
  createRouterMetrics(router.registry, router.prefix);
  const executor = createExecutorMetrics();
  const names = new Set<string>();
  for (const registry of [gateway.registry, manager.registry, router.registry, executor.registry]) {
    for (const metric of await registry.getMetricsAsJSON()) {
      names.add(metric.name);
      if (String(metric.type) === 'histogram')
        for (const suffix of ['_bucket', '_count', '_sum']) names.add(metric.name + suffix);
    }
  }
  return names;
}

const production = renderObjects(VARIANTS.production);
const rule = getObject(production, 'PrometheusRule', 'foxhound-alerts');
const alerts = spec<{ groups: Array<{ rules: Array<{ alert: string; expr: string }> }> }>(
  rule,
).groups.flatMap((group) => group.rules);
const dashboard = JSON.parse(readFileSync(path.join(chartDir, 'files/grafana-dashboard.json'), 'utf8')) as {
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
};
const used = (expr: string) => [...expr.matchAll(/\bfoxhound_[a-z_]+/g)].map((match) => match[0]);

let exported: Set<string>;
beforeAll(async () => {
  exported = await exportedNames();
});

it('reads the exported names from the real factories (the check can fail)', () => {
  expect(exported.has('foxhound_gateway_http_request_duration_seconds_count')).toBe(true);
  expect(exported.has('foxhound_sandbox_manager_sandboxes_warm')).toBe(true);
  expect(exported.has('foxhound_gateway_no_such_metric')).toBe(false);
});

it('alerts on gateway errors, stuck investigations, store retries, an empty warm pool and sandbox start failures', () => {
  expect(alerts.map((alert) => alert.alert)).toEqual(
    expect.arrayContaining([
      'FoxhoundGatewayErrors',
      'FoxhoundInvestigationsStuck',
      'FoxhoundStoreRetries',
      'FoxhoundWarmPoolEmpty',
      'FoxhoundSandboxStartFailures',
    ]),
  );
});

it.each(alerts.map((alert) => [alert.alert, alert.expr]))(
  'alert %s uses exported metrics only',
  (_name, expr) => {
    expect(used(expr).length).toBeGreaterThan(0);
    expect(used(expr).filter((name) => !exported.has(name))).toEqual([]);
    // Scoped to this release's namespaces.
    expect(expr).toMatch(/namespace="foxhound(-sandboxes)?"/);
  },
);

it.each(dashboard.panels.map((panel) => [panel.title, panel.targets.map((t) => t.expr).join('\n')]))(
  'dashboard panel "%s" uses exported metrics only',
  (_title, exprs) => {
    expect(used(exprs).filter((name) => !exported.has(name))).toEqual([]);
  },
);

it('drops the warm-pool alert when there is no warm pool to empty', () => {
  const objects = renderObjects(VARIANTS['all-options']);
  const names = spec<{ groups: Array<{ rules: Array<{ alert: string }> }> }>(
    getObject(objects, 'PrometheusRule', 'foxhound-alerts'),
  ).groups.flatMap((group) => group.rules.map((r) => r.alert));
  expect(names).not.toContain('FoxhoundWarmPoolEmpty');
  expect(names).toContain('FoxhoundSandboxStartFailures');
});

it('points each monitor at the pods of its component, on the port their containers name', () => {
  const templates = podTemplates(production);
  const monitors = [...ofKind(production, 'ServiceMonitor'), ...ofKind(production, 'PodMonitor')];
  expect(monitors.map(componentOf).sort()).toEqual([
    'executor',
    'gateway',
    'sandbox-manager',
    'sandbox-router',
  ]);
  for (const monitor of monitors) {
    const body = spec<{
      selector: { matchLabels: Record<string, string> };
      endpoints?: Array<{ port: string; path: string }>;
      podMetricsEndpoints?: Array<{ port: string; path: string }>;
    }>(monitor);
    const endpoint = (body.endpoints ?? body.podMetricsEndpoints)![0];
    expect(endpoint.path).toBe('/metrics');
    if (monitor.kind === 'PodMonitor') {
      const pods = templates.filter((template) => selects(body.selector, template.labels));
      expect(pods.map(componentOf)).toEqual([componentOf(monitor)]);
      expect(pods[0].spec.containers[0].ports?.map((port) => port.name)).toContain(endpoint.port);
      continue;
    }
    // A ServiceMonitor names the Service's port; the Service must carry the monitor's labels.
    const service = getObject(production, 'Service', monitor.metadata.name);
    expect(selects(body.selector, service.metadata.labels ?? {})).toBe(true);
    const ports = spec<{ ports: Array<{ name: string }> }>(service).ports.map((port) => port.name);
    expect(ports).toContain(endpoint.port);
  }
});

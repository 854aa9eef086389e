// Metrics from Prometheus, when PROMETHEUS_URL is configured; its readiness is checked once at start.
import { type Toolset } from '../registry';
import { prometheusQuery, type PrometheusOptions } from './prometheus-query';

export function metricsToolset(options: PrometheusOptions = {}): Toolset {
  const { url } = options;
  const doFetch = options.fetch ?? fetch;
  return {
    name: 'metrics/prometheus',
    description: 'PromQL queries against Prometheus.',
    tools: [prometheusQuery(options)],
    ...(url === undefined
      ? { disabledReason: 'Prometheus is not configured (PROMETHEUS_URL)' }
      : {
          prerequisite: async () => {
            const response = await doFetch(new URL('/-/ready', url), { signal: AbortSignal.timeout(5_000) });
            await response.arrayBuffer();
            if (!response.ok) throw new Error(`Prometheus at ${url} is not ready (HTTP ${response.status})`);
          },
        }),
  };
}

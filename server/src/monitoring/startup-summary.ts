import type { PluginConfig } from '../config';

/** The monitoring part of the startup log line: what is on, for which instance, with which settings. */
export function describeMonitoring(
  config: PluginConfig,
  instanceId: string,
  metricsOn: boolean
): string {
  const monitoring = config.monitoring.enabled
    ? `monitoring on (instance ${instanceId}, samples every ${config.system.sampleIntervalMs} ms, ` +
      `SLO ${config.uptime.slo} %` +
      (config.monitoring.excludePaths.length
        ? `, excluding ${config.monitoring.excludePaths.join(' ')}`
        : '') +
      ')'
    : 'monitoring off';
  return `${monitoring}, Prometheus /metrics ${metricsOn ? 'on' : 'off'}`;
}

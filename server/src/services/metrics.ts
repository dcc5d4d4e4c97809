import type { Core } from '@strapi/strapi';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { servicesUsed } from '../get-service';
import { ROLLUP_JOB } from './rollup';
import { MONITORING_ROLLUP_JOB } from './monitoring-rollup';

/** OpenTelemetry's recommended buckets for http.server.request.duration, in seconds. */
export const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/**
 * prom-client's default metrics (process CPU, memory, GC, event-loop lag) start a GC observer and
 * an event-loop monitor that prom-client gives no way to stop. They are collected once per process
 * into a registry of their own, and every registry built when metrics are switched on shares
 * them: switching metrics off and on again starts no new observer.
 */
let processMetrics: Registry | null = null;
function processMetricsRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

/**
 * The Prometheus side: a registry of our own (so another plugin's prom-client metrics never
 * clash with ours), created only when `metrics.enabled`. Request durations are observed on the
 * request path (a label lookup and an increment); the plugin's counters are read when scraped.
 */
const createMetrics = ({ strapi }: { strapi: Core.Strapi }) => {
  const use = servicesUsed(strapi, ['event-pipeline', 'job-lease', 'monitoring', 'plugin-config']);
  let registry: Registry | null = null;
  let duration: Histogram<'http_request_method' | 'http_route' | 'http_response_status_code'>;
  const jobDurations = new Map<string, number>();

  function build(): Registry {
    const r = new Registry();
    duration = new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'Duration of HTTP server requests.',
      labelNames: ['http_request_method', 'http_route', 'http_response_status_code'],
      buckets: DURATION_BUCKETS,
      registers: [r],
    });
    const pipeline = () => use('event-pipeline').stats();
    const counter = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers: [r],
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    counter(
      'usage_analytics_events_accepted_total',
      'Events and editorial rows accepted into the buffers.',
      () => pipeline().events.accepted + pipeline().editorial.accepted
    );
    counter(
      'usage_analytics_events_flushed_total',
      'Buffered rows written to the database.',
      () => pipeline().events.flushed + pipeline().editorial.flushed
    );
    counter(
      'usage_analytics_flush_errors_total',
      'Failed buffer and request-stats writes.',
      () =>
        pipeline().events.flushErrors +
        pipeline().editorial.flushErrors +
        use('monitoring').stats().flushErrors
    );
    new Counter({
      name: 'usage_analytics_events_dropped_total',
      help: 'Events not recorded, by reason.',
      labelNames: ['reason'],
      registers: [r],
      collect() {
        this.reset();
        for (const [reason, count] of Object.entries(pipeline().dropped)) {
          this.inc({ reason }, count);
        }
      },
    });
    new Gauge({
      name: 'usage_analytics_rollup_duration_seconds',
      help: 'Duration of the last run of each rollup job on this instance.',
      labelNames: ['job'],
      registers: [r],
      collect() {
        this.reset();
        for (const [job, seconds] of jobDurations) this.set({ job }, seconds);
      },
    });
    new Gauge({
      name: 'usage_analytics_rollup_lag_seconds',
      help: 'Seconds since each rollup job last completed (on any instance).',
      labelNames: ['job'],
      registers: [r],
      async collect() {
        this.reset();
        for (const job of [ROLLUP_JOB, MONITORING_ROLLUP_JOB]) {
          const last = await use('job-lease').lastCompleted(job);
          if (last) this.set({ job }, Math.max(0, (Date.now() - last) / 1000));
        }
      },
    });
    return Registry.merge([processMetricsRegistry(), r]);
  }

  const enabled = () => use('plugin-config').get().metrics.enabled;
  const release = () => {
    registry?.clear();
    registry = null;
  };
  /**
   * The registry, or null while metrics are off. metrics.enabled can change at runtime (settings
   * page, which calls this when it applies a change): turned on, the registry is built; turned
   * off, it is let go (and counts start afresh when turned on again).
   */
  const current = (): Registry | null => {
    if (!enabled()) {
      release();
      return null;
    }
    registry ??= build();
    return registry;
  };

  return {
    /** Builds the registry when metrics are on; returns whether they are. */
    start(): boolean {
      if (!enabled()) return false;
      registry ??= build();
      return true;
    },

    observeRequest(method: string, route: string, status: number, seconds: number): void {
      // The request path reads no configuration: the registry exists only while metrics are on.
      if (!registry) return;
      duration.observe(
        { http_request_method: method, http_route: route, http_response_status_code: status },
        seconds
      );
    },

    recordJob(job: string, seconds: number): void {
      jobDurations.set(job, seconds);
    },

    /** True when `authorization` carries the configured bearer token (constant-time compare). */
    authorized(authorization: string | undefined): boolean {
      const token = use('plugin-config').get().metrics.token;
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (!token || !match) return false;
      const digest = (text: string) => createHash('sha256').update(text).digest();
      return timingSafeEqual(digest(match[1]), digest(token));
    },

    /** The registry to scrape, or null while metrics are off. */
    registry: current,

    stop: release,
  };
};

export type MetricsService = ReturnType<typeof createMetrics>;
export default createMetrics;

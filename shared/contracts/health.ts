/** GET /usage-analytics/health — system health over a time range. Durations in ms, times ISO. */
export type HealthInterval = 'minute' | 'hour' | 'day';

export interface HealthQuery {
  /** ISO date-time or epoch ms; rounded down to the interval. Default: 24 h before `to`. */
  from?: string;
  /** ISO date-time or epoch ms, exclusive. Default: now. */
  to?: string;
  /** Default: minute up to 6 h, hour up to 14 days, day beyond. */
  interval?: HealthInterval;
}

export interface LatencyPercentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface RouteHealth extends LatencyPercentiles {
  method: string;
  route: string;
  count: number;
  /** 5xx ÷ all requests of the route, 0–1. */
  errorRate: number;
}

export interface ResourcePoint {
  t: string;
  instance: string;
  /** Process CPU, % of one core (average over the bucket). */
  cpu: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** Event-loop delay p99, ms (highest sample in the bucket). */
  eventLoopP99: number;
  inFlight: number;
  samples: number;
}

export interface HealthResponse {
  data: {
    from: string;
    to: string;
    interval: HealthInterval;
    totals: { requests: number; errors: number; clientErrors: number };
    throughput: { t: string; requests: number; errors: number }[];
    latency: ({ t: string } & LatencyPercentiles)[];
    /** 5xx ÷ all requests in the range, 0–1 (0 when there were none). */
    errorRate: number;
    /** The routes with the highest p95 (at most 10). */
    slowestRoutes: RouteHealth[];
    /** Per status class (1–5): requests in the range. */
    statusClasses: Record<string, number>;
    resources: ResourcePoint[];
    uptime: {
      /** % of the minutes in the range (since the first heartbeat) with at least one live instance. */
      availability: number | null;
      slo: number;
      /** % of the error budget (100 − slo) left; negative when overspent. */
      errorBudgetRemaining: number | null;
      /** Request SLI: non-5xx ÷ (all − 4xx), %. */
      requestSli: number | null;
      minutes: number;
      healthyMinutes: number;
    };
    instances: { id: string; lastSeen: string; version: string }[];
    pipeline: {
      accepted: number;
      dropped: number;
      flushed: number;
      flushErrors: number;
      /** Rows the database refused, dropped alone (request-stats rows included). */
      rejected: number;
      rollupLagSeconds: number | null;
    };
  };
}

/** `GET /metrics`: the agent's metrics in the Prometheus text format, gauges read at scrape time. */
import type { Route } from './http.js';

export interface MetricsHandlers {
  /** The exposition text and its content type (prom-client's registry). */
  readonly text: () => Promise<string>;
  readonly contentType: string;
}

export function metricsRoutes(metrics: MetricsHandlers): Route[] {
  return [{
    method: 'GET',
    path: '/metrics',
    async handle({ response }) {
      const text = await metrics.text();
      response.writeHead(200, { 'Content-Type': metrics.contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
      response.end(text);
    },
  }];
}

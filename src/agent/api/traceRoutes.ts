/**
 * The agent's own SMPP trace on the local API:
 * - `GET /trace`: Server-Sent Events, one record per PDU (the shape of `smpp proxy --json` lines),
 *   with `?replay=N` / `Last-Event-ID` catch-up from the last records kept;
 * - `GET /trace/recent?limit=N`: the kept records (default and at most all of them) and the summary
 *   since start, as one JSON document (what `edge-sms-agent trace` without --follow prints);
 * - `GET /trace/capture`: the bounded pcap of the link (`smpp.capture`), 404 when capture is off.
 */
import type { SummaryRecord, TraceRecord } from '../../smpp/index.js';
import type { EventHub } from './eventHub.js';
import { reply, replyFailure, type Route } from './http.js';
import { streamHub } from './sse.js';

export interface TraceHandlers {
  readonly hub: EventHub<TraceRecord>;
  readonly summary: () => SummaryRecord;
  /** The capture as one pcap file, or undefined when `smpp.capture` is off. */
  readonly capture: () => Buffer | undefined;
}

export function traceRoutes(handlers: TraceHandlers): Route[] {
  return [
    { method: 'GET', path: '/trace', handle: (exchange) => void streamHub(exchange, handlers.hub, (entry) => entry.item) },
    {
      method: 'GET',
      path: '/trace/recent',
      handle({ response, url }) {
        const limit = Number(url.searchParams.get('limit') ?? 500);
        if (!Number.isInteger(limit) || limit < 1) return replyFailure(response, 400, 'limit', 'limit must be a positive integer');
        reply(response, 200, { records: handlers.hub.recent(limit).map((entry) => entry.item), summary: handlers.summary() });
      },
    },
    {
      method: 'GET',
      path: '/trace/capture',
      handle({ response }) {
        const capture = handlers.capture();
        if (capture === undefined) return replyFailure(response, 404, 'capture-off', 'no capture is kept: set smpp.capture.file in the config');
        response.writeHead(200, {
          'Content-Type': 'application/vnd.tcpdump.pcap',
          'Content-Length': capture.length,
          'Content-Disposition': 'attachment; filename="smpp.pcap"',
          'Cache-Control': 'no-store',
        });
        response.end(capture);
      },
    },
  ];
}

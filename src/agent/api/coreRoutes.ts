/**
 * The local API's own routes:
 *   POST /reports   {kind, priority?, ttlS?, time?, data, to?}  → 201 {id} (with `to` of several numbers: {id, ids}, one entry each;
 *                   `refused: [numbers]` when the outbox had room for some of them only), 507 when it had room for none
 *   GET  /state     the agent's state (the same JSON the MQTT mirror publishes)
 *   GET  /healthz   200 {ok: true, status: 'ok', problems: [], …} or 503 {ok: false, status: 'degraded', problems: [{check, reason, since}], …}
 *                   (src/agent/health/; a full disk also makes POST /reports answer 507 Store_DiskFull)
 *   GET  /events    the agent's events as Server-Sent Events (`?replay=N` or Last-Event-ID to catch up)
 */
import type { MirrorEvent } from '../../mqtt/index.js';
import { parseReadingInput, type ReadingInput } from '../readingInput.js';
import type { EventHub } from './eventHub.js';
import { readJsonBody, reply, type Route } from './http.js';
import { streamHub } from './sse.js';

export interface ApiHandlers {
  /** `id` null: the outbox had room for none of the entries. `refused`: numbers of `to` it had no room for. */
  submitReport(input: ReadingInput): { readonly id: number | null; readonly ids?: readonly number[]; readonly refused?: readonly string[]; readonly dropped: number };
  state(): unknown;
  health(): { readonly ok: boolean; readonly [check: string]: unknown };
  /** The agent's events; absent: no `/events` route. */
  readonly events?: EventHub<MirrorEvent>;
}

export function coreRoutes(handlers: ApiHandlers): readonly Route[] {
  const routes: Route[] = [
    {
      method: 'POST',
      path: '/reports',
      async handle({ request, response }) {
        const input = parseReadingInput(await readJsonBody(request));
        const result = handlers.submitReport(input);
        if (result.id === null) return reply(response, 507, { error: { code: 'full', message: 'the outbox is full of more urgent reports' } });
        reply(response, 201, result);
      },
    },
    { method: 'GET', path: '/state', handle: ({ response }) => reply(response, 200, handlers.state()) },
    {
      method: 'GET',
      path: '/healthz',
      handle({ response }) {
        const health = handlers.health();
        reply(response, health.ok ? 200 : 503, health);
      },
    },
  ];
  const events = handlers.events;
  if (events !== undefined) {
    routes.push({ method: 'GET', path: '/events', handle: (exchange) => void streamHub(exchange, events, (entry) => ({ ...entry.item, at: new Date(entry.at).toISOString() })) });
  }
  return routes;
}

/** The local API inside the agent part: the server, its routes' shared helpers, and the live-stream pieces. */
export { IngestApi, parseListen, type ApiAddress } from './server.js';
export type { ApiHandlers } from './coreRoutes.js';
export { HttpRefusal, readJsonBody, reply, replyError, replyFailure, type Exchange, type HttpMethod, type Route } from './http.js';
export { EventHub, type HubEntry, type HubListener } from './eventHub.js';
export { SseStream, streamHub, type SseOptions } from './sse.js';
export { markLanRequest, refuseForeignHost } from './hostCheck.js';
export { traceRoutes, type TraceHandlers } from './traceRoutes.js';
export { metricsRoutes, type MetricsHandlers } from './metricsRoutes.js';

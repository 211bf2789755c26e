/**
 * DNS rebinding: a hostile name that resolves to 127.0.0.1 makes its page same-origin with the
 * local API as far as a browser knows, so that page could read `/state` and post JSON. On loopback
 * the `Host` header must therefore be a loopback name; the server checks it before any route runs.
 * Requests through the console's LAN door (which has checked their token) may name any host.
 */
import type { IncomingMessage } from 'node:http';
import { HttpRefusal } from './http.js';

const loopbackHost = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i;

/** Requests that came through the LAN listener, which has checked their token (any Host is fine there). */
const lanRequests = new WeakSet<IncomingMessage>();

export function markLanRequest(request: IncomingMessage): void {
  lanRequests.add(request);
}

/** Throws a 421 refusal when a TCP request on loopback names a host that is not a loopback name. */
export function refuseForeignHost(request: IncomingMessage): void {
  // A Unix socket client names no meaningful host; only TCP connections can be rebound.
  if (request.socket.remoteAddress === undefined || lanRequests.has(request)) return;
  const host = request.headers.host;
  if (host !== undefined && !loopbackHost.test(host)) {
    throw new HttpRefusal(421, 'host', `refused: the local API answers to 127.0.0.1, localhost or [::1], not ${host}`);
  }
}

/**
 * Refusals for requests a browser was tricked into making. The local API answers on loopback, and
 * a page from anywhere on the internet, open in a browser on the same machine, can make that
 * browser send requests to 127.0.0.1. Two defences, both cheap:
 *
 * - Cross-site writes: a state-changing request must say it is JSON (a plain HTML form cannot send
 *   `application/json`; `readJsonBody` refuses anything else with 415), and when the browser tells
 *   us where it came from (`Sec-Fetch-Site`, `Origin`), that must be this very origin.
 * - DNS rebinding: a hostile name that resolves to 127.0.0.1 makes its page same-origin with us as
 *   far as the browser knows, so on loopback the `Host` header must be a loopback name.
 *
 * Non-browser clients (the CLI, curl, scripts) send neither `Origin` nor `Sec-Fetch-Site` and pass.
 */
import type { IncomingMessage } from 'node:http';
import { HttpRefusal } from '../api/index.js';

const loopbackHost = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i;

/** Requests that came through the LAN listener, which has checked their token (any Host is fine there). */
const lanRequests = new WeakSet<IncomingMessage>();

export function markLanRequest(request: IncomingMessage): void {
  lanRequests.add(request);
}

/** Throws a 403 refusal unless the request could not have come from another site. */
export function refuseCrossSite(request: IncomingMessage): void {
  const site = header(request, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new HttpRefusal(403, 'cross-site', `refused: a ${site} request may not change the agent (Sec-Fetch-Site)`);
  }
  const origin = header(request, 'origin');
  if (origin === undefined) return;
  const host = header(request, 'host');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new HttpRefusal(403, 'cross-site', 'refused: the Origin header is not a URL');
  }
  if (host === undefined || originHost.toLowerCase() !== host.toLowerCase()) {
    throw new HttpRefusal(403, 'cross-site', `refused: a request from ${origin} may not change the agent`);
  }
}

/** On the loopback listener: throws a 421 refusal when the Host is not a loopback name (DNS rebinding). */
export function refuseForeignHost(request: IncomingMessage): void {
  // A Unix socket client names no meaningful host; only TCP connections can be rebound.
  if (request.socket.remoteAddress === undefined || lanRequests.has(request)) return;
  const host = header(request, 'host');
  if (host !== undefined && !loopbackHost.test(host)) {
    throw new HttpRefusal(421, 'host', `refused: the local API answers to 127.0.0.1, localhost or [::1], not ${host}`);
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

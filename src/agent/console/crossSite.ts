/**
 * Refusals for writes a browser was tricked into making. The local API answers on loopback, and a
 * page from anywhere on the internet, open in a browser on the same machine, can make that browser
 * send requests to 127.0.0.1. A state-changing request must say it is JSON (a plain HTML form cannot
 * send `application/json`; `readJsonBody` refuses anything else with 415), and when the browser
 * tells us where it came from (`Sec-Fetch-Site`, `Origin`), that must be this very origin. DNS
 * rebinding is the server's own check (api/hostCheck.ts).
 *
 * Non-browser clients (the CLI, curl, scripts) send neither `Origin` nor `Sec-Fetch-Site` and pass.
 */
import type { IncomingMessage } from 'node:http';
import { HttpRefusal } from '../api/index.js';

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

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The local API's server, on 127.0.0.1 or a Unix socket only. It owns the socket and the routing;
 * what each path does lives in a route (`coreRoutes.ts` for the ingest, state and health; other
 * parts add theirs with `addRoutes` before `listen`). Errors are JSON `{error: {code, message}}`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AgentError, ErrorCode } from '../../errors.js';
import { coreRoutes, type ApiHandlers } from './coreRoutes.js';
import { HttpRefusal, replyError, replyFailure, type Route } from './http.js';
import { refuseForeignHost } from './hostCheck.js';
import { clearStaleSocket, listenWithMode } from './socketPath.js';

export type ApiAddress = { readonly kind: 'tcp'; readonly host: string; readonly port: number } | { readonly kind: 'unix'; readonly path: string };

/** `127.0.0.1:8787`, `[::1]:8787`, `localhost:0` or `unix:/run/edge-sms-agent/api.sock`. */
export function parseListen(listen: string): ApiAddress {
  if (listen.startsWith('unix:')) return { kind: 'unix', path: listen.slice(5) };
  const match = /^(127\.0\.0\.1|localhost|\[::1\]):(\d{1,5})$/.exec(listen);
  const port = Number(match?.[2]);
  if (match === null || port > 65535) throw new AgentError(`api.listen: must be 127.0.0.1:PORT or unix:/path, got ${JSON.stringify(listen)}`, ErrorCode.Config_Invalid, { key: 'api.listen' });
  return { kind: 'tcp', host: (match[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port };
}

export class IngestApi {
  private server: Server | undefined;
  private readonly routes: Route[];

  constructor(handlers: ApiHandlers) {
    this.routes = [...coreRoutes(handlers)];
  }

  /** More routes (metrics, trace, console…); call before `listen`. An exact path wins over a prefix. */
  addRoutes(routes: readonly Route[]): void {
    this.routes.push(...routes);
  }

  /** Starts listening; resolves with the bound address (the port is known even when 0 was asked). */
  async listen(address: ApiAddress): Promise<ApiAddress> {
    const server = createServer((request, response) => void this.handle(request, response));
    server.keepAliveTimeout = 5000;
    server.headersTimeout = 10000;
    // No request timeout: event streams stay open; a stalled upload is bounded by headersTimeout and the body cap.
    server.requestTimeout = 0;
    this.server = server;
    if (address.kind === 'unix') {
      await clearStaleSocket(address.path); // a stale socket of ours from a crash; anything else is refused
      await listenWithMode(address.path, () => new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(address.path, resolve);
      }));
      return address;
    }
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(address.port, address.host, resolve);
    });
    const bound = server.address();
    return { kind: 'tcp', host: address.host, port: typeof bound === 'object' && bound !== null ? bound.port : address.port };
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Answers one request with the routes; another listener (the console's LAN door) hands its requests here after its own checks. */
  dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    return this.handle(request, response);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      refuseForeignHost(request);
      const url = new URL(request.url ?? '/', 'http://local');
      const matching = this.matching(url.pathname);
      if (matching.length === 0) {
        const paths = [...new Set(this.routes.map((route) => `${route.method} ${route.path}`))].join(', ');
        return replyFailure(response, 404, 'not-found', `endpoints: ${paths}`);
      }
      const method = request.method ?? 'GET';
      const route = matching.find((candidate) => candidate.method === method || (method === 'HEAD' && candidate.method === 'GET'));
      if (route === undefined) {
        const allowed = [...new Set(matching.map((candidate) => candidate.method))];
        return replyFailure(response, 405, 'method', `use ${allowed.join(' or ')} ${url.pathname}`, { Allow: allowed.join(', ') });
      }
      await route.handle({ request, response, url });
    } catch (error) {
      if (error instanceof HttpRefusal) return replyFailure(response, error.status, error.code, error.message);
      replyError(response, error);
    }
  }

  /** The routes for a path: exact ones if any, else the longest matching prefix's. */
  private matching(pathname: string): readonly Route[] {
    const exact = this.routes.filter((route) => route.path === pathname);
    if (exact.length > 0) return exact;
    // `/` is a path of its own (the console's redirect), not a prefix of every path.
    const prefixed = this.routes.filter((route) => route.path.endsWith('/') && route.path !== '/' && pathname.startsWith(route.path));
    const longest = Math.max(0, ...prefixed.map((route) => route.path.length));
    return prefixed.filter((route) => route.path.length === longest);
  }
}

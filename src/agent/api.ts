/**
 * The local ingest API, on 127.0.0.1 or a Unix socket only:
 *   POST /reports   {kind, priority?, ttlS?, time?, data, to?}  → 201 {id} (with `to` of several numbers: {id, ids}, one entry each;
 *                   `refused: [numbers]` when the outbox had room for some of them only), 507 when it had room for none
 *   GET  /state     the agent's state (the same JSON the MQTT mirror publishes)
 *   GET  /healthz   200 {ok: true, …} or 503 {ok: false, …}
 * Errors are JSON `{error: {code, message}}` with 400/404/405/413/415/500/507.
 */
import { chmodSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AgentError, ErrorCode, errorCodeName, isAgentError } from '../errors.js';
import { parseReadingInput, type ReadingInput } from './readingInput.js';

export interface ApiHandlers {
  /** `id` null: the outbox had room for none of the entries. `refused`: numbers of `to` it had no room for. */
  submitReport(input: ReadingInput): { readonly id: number | null; readonly ids?: readonly number[]; readonly refused?: readonly string[]; readonly dropped: number };
  state(): unknown;
  health(): { readonly ok: boolean; readonly [check: string]: unknown };
}

export type ApiAddress = { readonly kind: 'tcp'; readonly host: string; readonly port: number } | { readonly kind: 'unix'; readonly path: string };

/** `127.0.0.1:8787`, `[::1]:8787`, `localhost:0` or `unix:/run/edge-sms-agent/api.sock`. */
export function parseListen(listen: string): ApiAddress {
  if (listen.startsWith('unix:')) return { kind: 'unix', path: listen.slice(5) };
  const match = /^(127\.0\.0\.1|localhost|\[::1\]):(\d{1,5})$/.exec(listen);
  const port = Number(match?.[2]);
  if (match === null || port > 65535) throw new AgentError(`api.listen: must be 127.0.0.1:PORT or unix:/path, got ${JSON.stringify(listen)}`, ErrorCode.Config_Invalid, { key: 'api.listen' });
  return { kind: 'tcp', host: (match[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port };
}

const maxBodyBytes = 64 * 1024;

export class IngestApi {
  private server: Server | undefined;

  constructor(private readonly handlers: ApiHandlers) {}

  /** Starts listening; resolves with the bound address (the port is known even when 0 was asked). */
  async listen(address: ApiAddress): Promise<ApiAddress> {
    const server = createServer((request, response) => void this.handle(request, response));
    server.keepAliveTimeout = 5000;
    server.headersTimeout = 10000;
    server.requestTimeout = 15000;
    this.server = server;
    if (address.kind === 'unix') rmSync(address.path, { force: true }); // a stale socket from a crash
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      if (address.kind === 'unix') server.listen(address.path, resolve);
      else server.listen(address.port, address.host, resolve);
    });
    if (address.kind === 'unix') {
      chmodSync(address.path, 0o660);
      return address;
    }
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

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const path = (request.url ?? '/').split('?')[0];
      if (path === '/reports') {
        if (request.method !== 'POST') return reply(response, 405, { error: { code: 'method', message: 'use POST /reports' } }, { Allow: 'POST' });
        if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
          return reply(response, 415, { error: { code: 'content-type', message: 'send Content-Type: application/json' } });
        }
        const body = await readBody(request);
        if (body === undefined) return reply(response, 413, { error: { code: 'too-large', message: `the body may be at most ${maxBodyBytes} bytes` } });
        const input = parseReadingInput(parseJson(body));
        const result = this.handlers.submitReport(input);
        return reply(response, result.id === null ? 507 : 201, result.id === null ? { error: { code: 'full', message: 'the outbox is full of more urgent reports' } } : result);
      }
      if (path === '/state' || path === '/healthz') {
        if (request.method !== 'GET' && request.method !== 'HEAD') return reply(response, 405, { error: { code: 'method', message: `use GET ${path}` } }, { Allow: 'GET' });
        if (path === '/state') return reply(response, 200, this.handlers.state());
        const health = this.handlers.health();
        return reply(response, health.ok ? 200 : 503, health);
      }
      return reply(response, 404, { error: { code: 'not-found', message: 'endpoints: POST /reports, GET /state, GET /healthz' } });
    } catch (error) {
      // The door's refusals (door.ts): a reading that could never be sent is a bad request, said as such.
      if (isAgentError(error) && (error.code === ErrorCode.Store_InvalidInput || error.code === ErrorCode.Codec_InvalidJson || error.code === ErrorCode.Report_TooLarge)) {
        return reply(response, 400, { error: { code: errorCodeName(error.code), message: error.message } });
      }
      const message = isAgentError(error) ? error.describe() : 'internal error';
      return reply(response, 500, { error: { code: 'internal', message } });
    }
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (cause) {
    throw new AgentError(`the body is not JSON: ${(cause as Error).message}`, ErrorCode.Codec_InvalidJson);
  }
}

/** The body, or undefined when it is larger than allowed (the rest is drained, not buffered). */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBodyBytes) chunks.push(chunk);
  }
  return size > maxBodyBytes ? undefined : Buffer.concat(chunks);
}

function reply(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

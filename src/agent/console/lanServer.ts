/**
 * The console's LAN door (opt-in, `console.lan`): a second listener in front of the same routes as
 * the loopback API, where every request must carry the token made at install, as
 * `Authorization: Bearer <token>` or as the session cookie `POST /console/login` sets (HttpOnly,
 * SameSite=Strict, Secure under TLS). Only the page's own files and the login answer without it:
 * they hold nothing secret, and the page needs them to ask for the token. TLS when a certificate
 * and key are given. Writes from another site are refused here as on loopback.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AgentError, ErrorCode } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { HttpRefusal, markLanRequest, readJsonBody, replyError, replyFailure, type IngestApi } from '../api/index.js';
import { refuseCrossSite } from './crossSite.js';

export interface LanOptions {
  readonly listen: string;
  readonly tokenFile: string;
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
}

export const sessionCookie = 'esa_console';
const minTokenLength = 16;
/** Wrong tokens allowed per minute before logins are refused for the rest of it (guessing is then hopeless). */
const maxFailuresPerMinute = 10;
const publicFiles = new Set(['/', '/console', '/console/', '/console/index.html', '/console/app.js', '/console/app.css']);

/** Reads and checks the token file; the message names the file, never its content. */
export function readToken(tokenFile: string): string {
  let token: string;
  try {
    token = readFileSync(tokenFile, 'utf8').trim();
  } catch (cause) {
    throw new AgentError(`console.lan.tokenFile: cannot read ${tokenFile} (${(cause as NodeJS.ErrnoException).code ?? 'error'}); scripts/install.sh writes one`, ErrorCode.Config_Invalid, { key: 'console.lan.tokenFile' }, { cause });
  }
  if (token.length < minTokenLength || /\s/.test(token)) {
    throw new AgentError(`console.lan.tokenFile: ${tokenFile} must hold one token of at least ${minTokenLength} characters`, ErrorCode.Config_Invalid, { key: 'console.lan.tokenFile' });
  }
  return token;
}

export function parseLanListen(listen: string): { host: string; port: number } {
  const match = /^(.+):(\d{1,5})$/.exec(listen);
  const port = Number(match?.[2]);
  if (match === null || port > 65535) throw new AgentError(`console.lan.listen: must be ADDRESS:PORT, got ${JSON.stringify(listen)}`, ErrorCode.Config_Invalid, { key: 'console.lan.listen' });
  return { host: (match[1] ?? '').replace(/^\[|\]$/g, ''), port };
}

export class LanConsole {
  private server: Server | undefined;
  private readonly token: Buffer;
  private readonly session: Buffer;
  private readonly tls: { cert: Buffer; key: Buffer } | undefined;
  private failures = { minute: 0, count: 0 };

  /** Reads the token and TLS files now, so a bad path fails the start with the key named. */
  constructor(
    private readonly api: IngestApi,
    private readonly options: LanOptions,
    private readonly logger: Logger,
  ) {
    const token = readToken(options.tokenFile);
    this.token = Buffer.from(token);
    // The cookie carries a value derived from the token, not the token itself.
    this.session = Buffer.from(createHmac('sha256', token).update('edge-sms-agent console session').digest('base64url'));
    if ((options.certFile === undefined) !== (options.keyFile === undefined)) {
      throw new AgentError('console.lan: give both certFile and keyFile for TLS, or neither', ErrorCode.Config_Invalid, { key: 'console.lan.certFile' });
    }
    this.tls = options.certFile === undefined || options.keyFile === undefined ? undefined : { cert: readFileSync(options.certFile), key: readFileSync(options.keyFile) };
  }

  async start(): Promise<{ host: string; port: number; tls: boolean }> {
    const { host, port } = parseLanListen(this.options.listen);
    const handler = (request: IncomingMessage, response: ServerResponse): void => void this.handle(request, response);
    const server = this.tls === undefined ? createHttpServer(handler) : createHttpsServer({ ...this.tls, minVersion: 'TLSv1.2' }, handler);
    server.keepAliveTimeout = 5000;
    server.headersTimeout = 10000;
    server.requestTimeout = 0; // event streams stay open, as on loopback
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    const bound = server.address();
    const result = { host, port: typeof bound === 'object' && bound !== null ? bound.port : port, tls: this.tls !== undefined };
    this.logger.info(result, 'console listening on the LAN (token required)');
    return result;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    markLanRequest(request);
    try {
      const path = new URL(request.url ?? '/', 'http://lan').pathname;
      const method = request.method ?? 'GET';
      if (path === '/console/login' && method === 'POST') return await this.login(request, response);
      if (path === '/console/logout' && method === 'POST') {
        refuseCrossSite(request);
        response.writeHead(204, { 'Set-Cookie': this.cookie('', 0) });
        return void response.end();
      }
      if (!((method === 'GET' || method === 'HEAD') && publicFiles.has(path)) && !this.authorised(request)) {
        return replyFailure(response, 401, 'unauthorized', 'this console needs its token (Authorization: Bearer, or log in)', { 'WWW-Authenticate': 'Bearer realm="edge-sms-agent"' });
      }
      if (method !== 'GET' && method !== 'HEAD') refuseCrossSite(request);
      await this.api.dispatch(request, response);
    } catch (error) {
      if (error instanceof HttpRefusal) return replyFailure(response, error.status, error.code, error.message);
      replyError(response, error);
    }
  }

  private authorised(request: IncomingMessage): boolean {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) return same(Buffer.from(bearer), this.token);
    const cookie = (request.headers.cookie ?? '').split(';').map((part) => part.trim().split('=')).find(([name]) => name === sessionCookie)?.[1];
    return cookie !== undefined && same(Buffer.from(cookie), this.session);
  }

  private async login(request: IncomingMessage, response: ServerResponse): Promise<void> {
    refuseCrossSite(request);
    const body = await readJsonBody(request);
    const minute = Math.floor(Date.now() / 60_000);
    if (this.failures.minute !== minute) this.failures = { minute, count: 0 };
    if (this.failures.count >= maxFailuresPerMinute) return replyFailure(response, 429, 'too-many', 'too many wrong tokens; try again in a minute');
    const given = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['token'] : undefined;
    if (typeof given !== 'string' || !same(Buffer.from(given.trim()), this.token)) {
      this.failures.count += 1;
      this.logger.warn({ from: request.socket.remoteAddress }, 'console login with a wrong token');
      return replyFailure(response, 401, 'unauthorized', 'wrong token');
    }
    response.writeHead(204, { 'Set-Cookie': this.cookie(this.session.toString(), 7 * 86400) });
    response.end();
  }

  private cookie(value: string, maxAgeS: number): string {
    return `${sessionCookie}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${this.tls === undefined ? '' : '; Secure'}`;
  }
}

function same(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

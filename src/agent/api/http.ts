/**
 * Small helpers every route of the local API shares: JSON replies, bounded body reading and the one
 * mapping from an AgentError to an HTTP status, so each door answers the same way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AgentError, ErrorCode, errorCodeName, isAgentError } from '../../errors.js';

/** Bodies larger than this are refused with 413 and drained, never buffered. */
export const maxBodyBytes = 64 * 1024;

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

/** One request as a route sees it: the parsed URL and the raw node objects. */
export interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: URL;
}

/**
 * A route of the local API. `path` is exact (`/reports`) or a prefix ending in `/` (`/console/`).
 * GET routes answer HEAD too. A handler that throws gets the shared error mapping (`replyError`).
 */
export interface Route {
  readonly method: HttpMethod;
  readonly path: string;
  handle(exchange: Exchange): void | Promise<void>;
}

export function reply(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** `{error: {code, message}}` with the given status. */
export function replyFailure(response: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  reply(response, status, { error: { code, message } }, headers);
}

/** What an AgentError means to an HTTP client; anything else is a 500 that names no internals. */
const statusOfCode: ReadonlyMap<ErrorCode, number> = new Map([
  [ErrorCode.Store_InvalidInput, 400],
  [ErrorCode.Codec_InvalidJson, 400],
  // The door's refusal of a reading that could never be sent (agent/door.ts): the request's fault.
  [ErrorCode.Report_TooLarge, 400],
  [ErrorCode.Config_Invalid, 400],
  [ErrorCode.Config_UnknownKey, 400],
  [ErrorCode.Store_Full, 507],
  // 507 Insufficient Storage, as for a full outbox: the caller should keep the reading and try later.
  [ErrorCode.Store_DiskFull, 507],
  // A damaged database being set aside (or that could not be): the reading was not stored; try again later.
  [ErrorCode.Store_Corrupt, 503],
]);

export function replyError(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  if (isAgentError(error)) {
    const status = statusOfCode.get(error.code);
    if (status !== undefined) return replyFailure(response, status, errorCodeName(error.code), error.message);
    return replyFailure(response, 500, 'internal', error.describe());
  }
  replyFailure(response, 500, 'internal', 'internal error');
}

/** The JSON body of a request that must be `application/json` and at most `maxBodyBytes`. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new HttpRefusal(415, 'content-type', 'send Content-Type: application/json');
  }
  const body = await readBody(request);
  if (body === undefined) throw new HttpRefusal(413, 'too-large', `the body may be at most ${maxBodyBytes} bytes`);
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (cause) {
    throw new AgentError(`the body is not JSON: ${(cause as Error).message}`, ErrorCode.Codec_InvalidJson);
  }
}

/** A refusal that is about HTTP itself (media type, size), answered with its own status. */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
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

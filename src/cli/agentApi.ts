/**
 * The CLI's client for the running agent's local API (`api.listen`: 127.0.0.1:PORT or a Unix
 * socket): one JSON GET, or a Server-Sent Events stream read event by event.
 */
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import type { ApiAddress } from '../agent/index.js';

function target(address: ApiAddress): { socketPath: string } | { host: string; port: number } {
  return address.kind === 'unix' ? { socketPath: address.path } : { host: address.host, port: address.port };
}

/** The parsed JSON body of `GET path` with its status, or undefined when nobody answers (the agent is not running). */
export function getJson(address: ApiAddress, path: string, timeoutMs = 2000): Promise<{ status: number; body: unknown } | undefined> {
  return new Promise((resolve) => {
    const req = request({ ...target(address), path, timeout: timeoutMs }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown });
        } catch {
          resolve(undefined);
        }
      });
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

export interface SseEvent {
  readonly id: string | undefined;
  readonly event: string | undefined;
  readonly data: string;
}

/**
 * Opens `GET path` as an event stream and calls `onEvent` for each event; resolves when the stream
 * ends (or `signal` aborts it), rejects when the agent cannot be reached.
 */
export function readEvents(address: ApiAddress, path: string, onEvent: (event: SseEvent) => void, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return resolve();
    const abort = (): void => {
      req.destroy();
      resolve();
    };
    signal.addEventListener('abort', abort, { once: true });
    const req: ClientRequest = request({ ...target(address), path, headers: { Accept: 'text/event-stream' } }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        res.resume();
        signal.removeEventListener('abort', abort);
        reject(new Error(`the agent answered ${res.statusCode ?? '?'} to GET ${path}`));
        return;
      }
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = parseBlock(block);
          if (event !== undefined) onEvent(event);
        }
      });
      res.on('end', () => {
        signal.removeEventListener('abort', abort);
        resolve();
      });
      res.on('error', () => resolve());
    });
    req.on('error', (error) => {
      signal.removeEventListener('abort', abort);
      if (signal.aborted) resolve();
      else reject(error);
    });
    req.end();
  });
}

/** One SSE block: `id:`, `event:`, `data:` lines; comments (`:` heartbeats) give nothing. */
function parseBlock(block: string): SseEvent | undefined {
  let id: string | undefined;
  let event: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length === 0 ? undefined : { id, event, data: data.join('\n') };
}

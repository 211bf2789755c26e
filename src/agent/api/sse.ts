/**
 * Server-Sent Events for the local API's live views (`GET /events`, and any other stream a part
 * adds): one `id:`/`data:` record per item, a comment line as heartbeat so proxies and idle
 * timeouts keep the connection, and a bound on what a slow reader may leave buffered. A client
 * that falls that far behind is disconnected (it reconnects with Last-Event-ID and resumes from
 * the hub's recent items) rather than growing the agent's memory.
 */
import type { ServerResponse } from 'node:http';
import type { Exchange } from './http.js';
import type { EventHub, HubEntry } from './eventHub.js';

export interface SseOptions {
  /** Heartbeat comment interval (ms); default 15 s, below common 30–60 s proxy idle timeouts. */
  readonly heartbeatMs?: number;
  /** Bytes a client may leave unread before it is dropped; default 1 MiB. */
  readonly maxBufferedBytes?: number;
}

export class SseStream {
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;
  private readonly maxBuffered: number;

  constructor(
    private readonly response: ServerResponse,
    options: SseOptions = {},
  ) {
    this.maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    // The reconnect delay a browser's EventSource uses after a drop.
    response.write('retry: 2000\n\n');
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
    response.on('close', () => this.close());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends one item; `id` lets the client resume after it. Returns false once the stream is closed. */
  send(data: unknown, id?: number): boolean {
    const idLine = id === undefined ? '' : `id: ${id}\n`;
    return this.write(`${idLine}data: ${JSON.stringify(data)}\n\n`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    if (!this.response.writableEnded) this.response.end();
  }

  private write(text: string): boolean {
    if (this.closed) return false;
    if (this.response.writableLength > this.maxBuffered) {
      this.response.destroy();
      this.close();
      return false;
    }
    this.response.write(text);
    return true;
  }
}

/**
 * Streams a hub: first the recent entries the client asks for (after `Last-Event-ID` or `?since=`,
 * or the last `?replay=N`), then every new one until the client goes or the server closes.
 */
export function streamHub<T>(exchange: Exchange, hub: EventHub<T>, toData: (entry: HubEntry<T>) => unknown, options: SseOptions = {}): SseStream {
  const { request, response, url } = exchange;
  const stream = new SseStream(response, options);
  const lastId = Number(request.headers['last-event-id'] ?? url.searchParams.get('since') ?? Number.NaN);
  const replay = Number(url.searchParams.get('replay') ?? 0);
  const backlog = Number.isInteger(lastId) ? hub.after(lastId) : Number.isInteger(replay) && replay > 0 ? hub.recent(replay) : [];
  for (const entry of backlog) stream.send(toData(entry), entry.id);
  const unsubscribe = hub.subscribe((entry) => {
    if (!stream.send(toData(entry), entry.id)) unsubscribe();
  });
  response.on('close', unsubscribe);
  return stream;
}

/**
 * The networking half of node-smpp 0.5 (npm `smpp`, CommonJS, untyped): its Session (client or
 * server side) and Server, typed as far as the interop tests and the session benchmark use them.
 * The codec's smpp.d.ts types the PDU half; this adds what a PDU can do on a session.
 */
import smpp from 'smpp';
import type { NodeSmppPdu } from 'smpp';

export interface NodeSmppNetPdu extends NodeSmppPdu {
  /** The response PDU, same sequence number; a generic_nack for an unknown command. */
  response(options?: Record<string, unknown>): NodeSmppNetPdu;
}

type ResponseCallback = (pdu: NodeSmppNetPdu) => void;

export interface NodeSmppSession {
  send(pdu: NodeSmppNetPdu, responseCallback?: ResponseCallback): boolean;
  bind_transmitter(options: Record<string, unknown>, callback: ResponseCallback): boolean;
  bind_receiver(options: Record<string, unknown>, callback: ResponseCallback): boolean;
  bind_transceiver(options: Record<string, unknown>, callback: ResponseCallback): boolean;
  submit_sm(options: Record<string, unknown>, callback: ResponseCallback): boolean;
  deliver_sm(options: Record<string, unknown>, callback: ResponseCallback): boolean;
  enquire_link(callback: ResponseCallback): boolean;
  unbind(callback: ResponseCallback): boolean;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'close' | 'connect', listener: () => void): this;
  on(event: string, listener: ResponseCallback): this;
  close(callback?: () => void): void;
  destroy(callback?: () => void): void;
}

export interface NodeSmppServer {
  listen(port: number, host: string, callback: () => void): this;
  address(): { port: number } | string | null;
  close(callback?: () => void): void;
}

interface NodeSmppNet {
  createServer(listener: (session: NodeSmppSession) => void): NodeSmppServer;
  connect(options: { host: string; port: number }, listener?: () => void): NodeSmppSession;
}

const net = smpp as unknown as NodeSmppNet;

/** A node-smpp server on 127.0.0.1 and a free port. */
export async function nodeSmppServer(listener: (session: NodeSmppSession) => void): Promise<{ server: NodeSmppServer; port: number; close: () => Promise<void> }> {
  const sessions = new Set<NodeSmppSession>();
  const server = net.createServer((session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => undefined); // peers vanish in fault tests
    listener(session);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    server,
    port,
    close: () => new Promise<void>((resolve) => {
      for (const session of sessions) session.destroy();
      server.close(() => resolve());
    }),
  };
}

/** A node-smpp client session, resolved once connected. */
export function nodeSmppConnect(port: number): Promise<NodeSmppSession> {
  return new Promise((resolve, reject) => {
    const session = net.connect({ host: '127.0.0.1', port }, () => resolve(session));
    session.on('error', reject);
  });
}

/** Promisified request on a node-smpp session. */
export function nodeSmppCall(call: (callback: ResponseCallback) => boolean): Promise<NodeSmppNetPdu> {
  return new Promise((resolve, reject) => {
    if (!call(resolve)) reject(new Error('node-smpp session not writable'));
  });
}

/** node-smpp decodes short_message to `{ message }` (text) or keeps a Buffer; this gives the text. */
export function nodeSmppText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  if (value !== null && typeof value === 'object' && 'message' in value) {
    const message = value.message;
    return Buffer.isBuffer(message) ? message.toString('latin1') : String(message);
  }
  return '';
}

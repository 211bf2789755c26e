/**
 * A TCP relay that counts what crosses it, for the data-plan benchmark: each accepted connection is
 * piped to the target, and every chunk read in either direction is recorded with its time and size.
 * On loopback with Nagle off on both ends, one chunk is one TCP segment of the sender's (a write that
 * fits a segment; our packets are far smaller than the MSS), so chunks stand in for segments.
 * The relay terminates TCP, so it sees payload bytes only: TCP/IP headers and ACKs are added by the
 * benchmark from the segment counts (see bench/dataplan.ts).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export type Direction = 'up' | 'down';

export interface Chunk {
  readonly at: number;
  readonly dir: Direction;
  readonly bytes: Buffer;
}

export interface CountingRelay {
  readonly port: number;
  /** Every chunk since the relay started (or since `reset()`), in order. */
  readonly chunks: Chunk[];
  reset(): void;
  stop(): Promise<void>;
}

export async function startCountingRelay(targetPort: number, targetHost = '127.0.0.1'): Promise<CountingRelay> {
  let chunks: Chunk[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: targetHost, port: targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('data', (bytes: Buffer) => {
      chunks.push({ at: Date.now(), dir: 'up', bytes });
      upstream.write(bytes);
    });
    upstream.on('data', (bytes: Buffer) => {
      chunks.push({ at: Date.now(), dir: 'down', bytes });
      client.write(bytes);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    get chunks() {
      return chunks;
    },
    reset() {
      chunks = [];
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** SMPP PDUs in a run of chunks of one direction (a PDU may span chunks): command_id and length of each. */
export function smppPdus(chunks: readonly Chunk[]): Array<{ at: number; commandId: number; length: number }> {
  const out: Array<{ at: number; commandId: number; length: number }> = [];
  let pending: Buffer = Buffer.alloc(0);
  for (const chunk of chunks) {
    pending = pending.length === 0 ? chunk.bytes : Buffer.concat([pending, chunk.bytes]);
    while (pending.length >= 16) {
      const length = pending.readUInt32BE(0);
      if (pending.length < length || length < 16) break;
      out.push({ at: chunk.at, commandId: pending.readUInt32BE(4), length });
      pending = pending.subarray(length);
    }
  }
  return out;
}

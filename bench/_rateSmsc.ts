/**
 * An SMSC for the rate benchmark, written apart from our codec and simulator so that the figure
 * it gives is not our own code agreeing with itself: raw SMPP 3.4 framing, binds accepted,
 * enquire_link and unbind answered, and each submit_sm either accepted or answered
 * ESME_RTHROTTLED (0x58, no body, as §4.4.2 allows for an error) under a per-bind limit counted
 * the way SMSC accounts count it:
 *  - sliding: at most N accepted submits in the 1000 ms before each arrival;
 *  - fixed: at most N in each wall-clock second.
 * A refused submit does not count. Every submit's arrival time and answer are recorded.
 */
import { createServer, type Server, type Socket } from 'node:net';

export type CountingWindow = 'sliding' | 'fixed';

export interface SubmitRecord {
  /** performance.now() when the chunk carrying it was read. */
  readonly at: number;
  readonly accepted: boolean;
}

export interface RateSmsc {
  readonly port: number;
  readonly submits: SubmitRecord[];
  stop(): Promise<void>;
}

const THROTTLED = 0x58;
const GENERIC_NACK = 0x80000000;

function pdu(commandId: number, status: number, sequence: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(16 + body.length, 0);
  header.writeUInt32BE(commandId >>> 0, 4);
  header.writeUInt32BE(status, 8);
  header.writeUInt32BE(sequence, 12);
  return Buffer.concat([header, body]);
}

function limiter(perSecond: number, window: CountingWindow): (at: number) => boolean {
  if (window === 'fixed') {
    let second = -1;
    let count = 0;
    return () => {
      const now = Math.floor(Date.now() / 1000);
      if (now !== second) {
        second = now;
        count = 0;
      }
      if (count >= perSecond) return false;
      count++;
      return true;
    };
  }
  const accepted: number[] = [];
  return (at) => {
    while (accepted.length > 0 && at - accepted[0]! >= 1000) accepted.shift();
    if (accepted.length >= perSecond) return false;
    accepted.push(at);
    return true;
  };
}

export async function startRateSmsc(perSecond: number, window: CountingWindow): Promise<RateSmsc> {
  const submits: SubmitRecord[] = [];
  const sockets = new Set<Socket>();
  let nextId = 1;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const allow = limiter(perSecond, window);
    let pending: Buffer = Buffer.alloc(0);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      const at = performance.now();
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      const out: Buffer[] = [];
      while (pending.length >= 16) {
        const length = pending.readUInt32BE(0);
        if (length < 16 || length > 65536) {
          socket.destroy();
          return;
        }
        if (pending.length < length) break;
        const commandId = pending.readUInt32BE(4);
        const sequence = pending.readUInt32BE(12);
        pending = pending.subarray(length);
        switch (commandId) {
          case 0x00000001: // bind_receiver
          case 0x00000002: // bind_transmitter
          case 0x00000009: // bind_transceiver
            out.push(pdu(commandId | 0x80000000, 0, sequence, Buffer.from('ratesmsc\0', 'latin1')));
            break;
          case 0x00000004: {
            // submit_sm
            const accepted = allow(at);
            submits.push({ at, accepted });
            out.push(accepted ? pdu(0x80000004, 0, sequence, Buffer.from(`m${nextId++}\0`, 'latin1')) : pdu(0x80000004, THROTTLED, sequence));
            break;
          }
          case 0x00000015: // enquire_link
            out.push(pdu(0x80000015, 0, sequence));
            break;
          case 0x00000006: // unbind
            out.push(pdu(0x80000006, 0, sequence));
            break;
          default:
            if ((commandId & 0x80000000) === 0) out.push(pdu(GENERIC_NACK, 0x03, sequence));
        }
      }
      if (out.length > 0) socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    submits,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A bare SMSC on 127.0.0.1:0 built from the codec only: it answers binds (and submits) and lets
 * a test write any bytes it likes, and records every PDU the ESME sends. For fault tests where
 * the simulator is too well-behaved.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createResponse, decodePdu, encodePdu, PduFramer, type Pdu } from '../../src/smpp/index.js';

export interface RawSmsc {
  readonly port: number;
  /** Every PDU received, in order. */
  readonly received: Pdu[];
  /** Writes a PDU to the latest connection. */
  send(pdu: Pdu): void;
  /** The latest connection. */
  socket(): Socket;
  /** Resolves with the next received PDU that matches. */
  next(match: (pdu: Pdu) => boolean, ms?: number): Promise<Pdu>;
  close(): Promise<void>;
}

export interface RawSmscOptions {
  readonly answerSubmits?: boolean;
  readonly answerEnquireLink?: boolean;
  /** Called once per connection right after its bind_resp went out: where a misbehaving SMSC starts misbehaving. */
  readonly afterBind?: (socket: Socket) => void;
}

export async function startRawSmsc(options: RawSmscOptions = {}): Promise<RawSmsc> {
  const received: Pdu[] = [];
  const waiters: Array<{ match: (pdu: Pdu) => boolean; resolve: (pdu: Pdu) => void }> = [];
  const sockets = new Set<Socket>();
  let latest: Socket | undefined;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    latest = socket;
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const framer = new PduFramer();
    socket.on('data', (chunk: Buffer) => {
      for (const event of framer.push(chunk)) {
        if (event.kind !== 'pdu') continue;
        const pdu = decodePdu(event.bytes);
        received.push(pdu);
        for (const waiter of [...waiters]) {
          if (waiter.match(pdu)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(pdu);
          }
        }
        if (pdu.command === 'bind_transceiver' || pdu.command === 'bind_transmitter' || pdu.command === 'bind_receiver') {
          socket.write(encodePdu(createResponse(pdu, 0, { system_id: 'RAW' })));
          options.afterBind?.(socket);
        } else if (pdu.command === 'submit_sm' && options.answerSubmits !== false) {
          socket.write(encodePdu(createResponse(pdu, 0, { message_id: `R${pdu.sequence_number}` })));
        } else if (pdu.command === 'unbind') {
          socket.end(encodePdu(createResponse(pdu)));
        } else if (pdu.command === 'enquire_link' && options.answerEnquireLink !== false) {
          socket.write(encodePdu(createResponse(pdu)));
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    received,
    send: (pdu) => latest?.write(encodePdu(pdu)),
    socket: () => {
      if (latest === undefined) throw new Error('no connection yet');
      return latest;
    },
    next: (match, ms = 3000) => new Promise<Pdu>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('expected PDU did not arrive')), ms);
      waiters.push({ match, resolve: (pdu) => { clearTimeout(timer); resolve(pdu); } });
    }),
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** A 16-octet header followed by `body`, with any command_length (true or not). */
export function rawPdu(commandId: number, sequence: number, body: Buffer = Buffer.alloc(0), commandLength = 16 + body.length): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(commandLength, 0);
  header.writeUInt32BE(commandId, 4);
  header.writeUInt32BE(0, 8);
  header.writeUInt32BE(sequence, 12);
  return Buffer.concat([header, body]);
}

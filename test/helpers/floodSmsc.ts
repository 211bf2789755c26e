/**
 * A hostile SMSC for the agent-level flood test, on 127.0.0.1:0, built from the codec only. It binds
 * and behaves for the agent's submits (submit_sm_resp, then a DELIVRD receipt for each part) while
 * `flood()` pours junk deliver_sm at the agent: malformed bodies, unknown commands, bad UDH, a reserved
 * data_coding, concatenation parts that never complete (UDH and SAR with KB-sized message_payload),
 * receipts for message ids it never issued, and garbage text. Every PDU the agent sends is recorded,
 * so a test can see each junk deliver_sm answered and every good reading arrive.
 */
import { createServer, type Server, type Socket } from 'node:net';
import {
  CommandId,
  createPdu,
  createResponse,
  decodePdu,
  encodePdu,
  formatReceipt,
  MessageState,
  PduFramer,
  tlv,
  type Pdu,
} from '../../src/smpp/index.js';
import { rawPdu } from './rawSmsc.js';

export interface FloodSmsc {
  readonly port: number;
  /** Every submit_sm from the agent, in order. */
  readonly submits: Array<Extract<Pdu, { command: 'submit_sm' }>>;
  /** Every response the agent gave to our requests (deliver_sm_resp, generic_nack), by command_status. */
  readonly answers: Map<string, number>;
  /** Junk PDUs written, by kind. */
  readonly sent: Map<string, number>;
  /** Binds accepted (one per connection the agent made). */
  binds(): number;
  /** Per bound connection: junk written, requests of ours the agent answered, and whether we ended it with the 4 GB PDU. */
  connections(): ReadonlyArray<{ readonly sent: number; readonly answered: number; readonly killed: boolean }>;
  /**
   * Writes junk to the latest bound connection in bursts of `perTick` every `tickMs` until `untilMs`
   * (epoch ms); once, a third of the way in, a PDU announcing 4 GB, which the agent must treat as a dead link.
   */
  flood(options: { readonly untilMs: number; readonly perTick: number; readonly tickMs: number; readonly partBytes: number }): Promise<void>;
  close(): Promise<void>;
}

const from = { source_addr: '447700900111', destination_addr: '447700900000' };

/** Each call a different junk deliver_sm (or raw bytes); `n` makes references and ids unique. */
function junk(n: number, partBytes: number): { kind: string; bytes: Buffer } {
  const sequence = 0x40000000 + n;
  const pdu = (kind: string, fields: Parameters<typeof createPdu<'deliver_sm'>>[1]): { kind: string; bytes: Buffer } => {
    const made = createPdu('deliver_sm', fields);
    made.sequence_number = sequence;
    return { kind, bytes: encodePdu(made) };
  };
  switch (n % 8) {
    case 0:
      // A deliver_sm header over a body that ends inside its fields.
      return { kind: 'malformed-body', bytes: rawPdu(CommandId.deliver_sm, sequence, Buffer.from([0x00, 0x01, 0x01, 0x34, 0x34])) };
    case 1:
      return { kind: 'unknown-command', bytes: rawPdu(0x000000ee, sequence, Buffer.from('junk')) };
    case 2:
      return pdu('bad-udh', { ...from, esm_class: 0x40, short_message: Buffer.from([0x0a, 0x00, 0x03, 0x01, n & 0xff]) });
    case 3:
      return pdu('bad-data-coding', { ...from, data_coding: 0x0b, short_message: Buffer.from(`reserved coding ${n}`) });
    case 4: {
      // Part 1 of 3 of a UDH-concatenated message whose other parts never come; many senders.
      const udh = Buffer.from([0x05, 0x00, 0x03, n & 0xff, 0x03, 0x01]);
      return pdu('partial-udh', { ...from, source_addr: `4477009${String(n % 500).padStart(5, '0')}`, esm_class: 0x40, short_message: Buffer.concat([udh, Buffer.alloc(134, 0x41)]) });
    }
    case 5:
      // Part 1 of 2 by SAR TLVs with a KB-sized message_payload, all from one sender.
      return pdu('partial-sar', {
        ...from,
        tlvs: [tlv('sar_msg_ref_num', n & 0xffff), tlv('sar_total_segments', 2), tlv('sar_segment_seqnum', 1), tlv('message_payload', Buffer.alloc(partBytes, 0x42))],
      });
    case 6:
      return pdu('unknown-receipt', {
        ...from,
        esm_class: 0x04,
        short_message: Buffer.from(formatReceipt({ messageId: `NOPE${n}`, submitted: 1, delivered: 1, submitDate: new Date(), doneDate: new Date(), stat: 'DELIVRD', err: '000', text: '' }), 'latin1'),
        tlvs: [tlv('receipted_message_id', `NOPE${n}`), tlv('message_state', MessageState.DELIVERED)],
      });
    default:
      return pdu('garbage-text', { ...from, short_message: Buffer.from(Array.from({ length: 120 }, (_, i) => (i * 37 + n) & 0xff)) });
  }
}

export async function startFloodSmsc(): Promise<FloodSmsc> {
  const submits: FloodSmsc['submits'] = [];
  const answers = new Map<string, number>();
  const sent = new Map<string, number>();
  const sockets = new Set<Socket>();
  let latest: Socket | undefined;
  let binds = 0;
  let nextId = 1;
  const perConnection = new Map<Socket, { sent: number; answered: number; killed: boolean }>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const framer = new PduFramer();
    socket.on('data', (chunk: Buffer) => {
      for (const event of framer.push(chunk)) {
        if (event.kind !== 'pdu') continue;
        const pdu = decodePdu(event.bytes);
        if (pdu.command === 'bind_transceiver') {
          binds++;
          latest = socket;
          perConnection.set(socket, { sent: 0, answered: 0, killed: false });
          socket.write(encodePdu(createResponse(pdu, 0, { system_id: 'FLOOD' })));
        } else if (pdu.command === 'submit_sm') {
          submits.push(pdu);
          const id = `G${nextId++}`;
          socket.write(encodePdu(createResponse(pdu, 0, { message_id: id })));
          const receipt = createPdu('deliver_sm', {
            source_addr: pdu.destination_addr,
            destination_addr: pdu.source_addr,
            esm_class: 0x04,
            short_message: Buffer.from(formatReceipt({ messageId: id, submitted: 1, delivered: 1, submitDate: new Date(), doneDate: new Date(), stat: 'DELIVRD', err: '000', text: '' }), 'latin1'),
            tlvs: [tlv('receipted_message_id', id), tlv('message_state', MessageState.DELIVERED)],
          });
          receipt.sequence_number = nextId;
          socket.write(encodePdu(receipt));
        } else if (pdu.command === 'enquire_link') {
          socket.write(encodePdu(createResponse(pdu)));
        } else if (pdu.command === 'unbind') {
          socket.end(encodePdu(createResponse(pdu)));
        } else if (pdu.command === 'deliver_sm_resp' || pdu.command === 'generic_nack') {
          const key = `${pdu.command}:${pdu.command_status}`;
          answers.set(key, (answers.get(key) ?? 0) + 1);
          // Our own receipts for good submits are answered too; only junk (sequence ≥ 0x40000000) counts here.
          const counts = perConnection.get(socket);
          if (counts !== undefined && pdu.sequence_number >= 0x40000000) counts.answered++;
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    submits,
    answers,
    sent,
    binds: () => binds,
    connections: () => [...perConnection.values()].map((counts) => ({ ...counts })),
    flood: async ({ untilMs, perTick, tickMs, partBytes }) => {
      const start = Date.now();
      let n = 0;
      let killedOnce = false;
      while (Date.now() < untilMs) {
        const socket = latest;
        if (socket !== undefined && !socket.destroyed) {
          if (!killedOnce && Date.now() - start > (untilMs - start) / 3) {
            killedOnce = true;
            const counts = perConnection.get(socket);
            if (counts !== undefined) counts.killed = true;
            socket.write(rawPdu(CommandId.deliver_sm, 1, Buffer.alloc(0), 0xffffffff));
            sent.set('4GB-pdu', 1);
          } else if (socket.writableLength < 1 << 20) {
            for (let i = 0; i < perTick; i++, n++) {
              const { kind, bytes } = junk(n, partBytes);
              socket.write(bytes);
              sent.set(kind, (sent.get(kind) ?? 0) + 1);
              const counts = perConnection.get(socket);
              if (counts !== undefined) counts.sent++;
            }
          }
        }
        await new Promise((resolve) => setTimeout(resolve, tickMs));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

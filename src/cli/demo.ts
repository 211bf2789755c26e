/**
 * `edge-sms-agent demo`: shows, on this machine and with nothing to configure, what the agent does
 * with a sensor reading: the report formats, the SMS parts they cost, and the SMPP PDU that carries
 * them. (The full demo with the SMSC simulator, the emulated modem and a broker builds on this.)
 */
import { parseArgs } from 'node:util';
import { decodePdu, encodePdu, createPdu, pduToJson, splitBinary, splitText } from '../smpp/index.js';
import {
  encodeBinaryReport,
  encodeTextReport,
  planBatch,
  reportPartCapacity,
  decodeReport,
  type PendingReading,
  type Reading,
} from '../report/index.js';
import type { CliCommand, CliIo } from './command.js';

const usage = `edge-sms-agent demo [--readings N]

Walks through what the agent does with sensor readings: packs them into report messages
(docs/wire-format.md), counts the SMS parts against one SMS per reading, and shows the SMPP
submit_sm that carries them, decoded back from its bytes.

  --readings N   telemetry readings to pack, one a minute (default 12)`;

export const command: CliCommand = {
  path: ['demo'],
  summary: 'see what the agent does, with nothing to set up',
  usage,
  run(args, io) {
    const { values } = parseArgs({ args: [...args], options: { readings: { type: 'string', default: '12' } }, strict: true });
    const count = Math.min(Math.max(Number(values.readings) || 12, 1), 500);
    showReports(io, count);
    return Promise.resolve(0);
  },
};

function showReports(io: CliIo, count: number): void {
  const say = (line = ''): void => void io.stdout.write(`${line}\n`);
  const start = Math.floor(Date.UTC(2026, 10, 21, 6, 0, 0) / 1000);
  const readings: Reading[] = Array.from({ length: count }, (_, i) => ({
    kind: 'telemetry',
    time: start + i * 60,
    fields: { T: Math.round((21 + Math.sin(i / 5)) * 10) / 10, H: 45 + (i % 4), B: Math.round((4.1 - i * 0.001) * 100) / 100 },
  }));
  readings.push({ kind: 'location', time: start + count * 60, fields: { lat: 51.50722, lon: -0.12762, sat: 8 } });
  say(`1. ${readings.length} readings from sensors, e.g. ${JSON.stringify(readings[0]?.fields)}`);
  say(`   one JSON SMS per reading would cost ${readings.length} SMS.`);

  const capacity = { text: reportPartCapacity('text', { split: 'udh8' }), binary: reportPartCapacity('binary', { split: 'udh8', portIn: 'udh' }) };
  for (const encoding of ['text', 'binary'] as const) {
    const pending: PendingReading<number>[] = readings.map((reading, id) => ({ id, reading, encoding, deadline: 0, urgent: false }));
    let seq = 1;
    let parts = 0;
    let messages = 0;
    let first: string | Buffer | undefined;
    while (pending.length > 0) {
      const plan = planBatch(pending, 0, { device: '42', seq, maxParts: 4, capacity });
      if (plan.action !== 'send') break;
      first ??= plan.payload;
      parts += plan.parts;
      messages++;
      seq++;
      const sent = new Set(plan.ids);
      for (let i = pending.length - 1; i >= 0; i--) if (sent.has(pending[i]?.id ?? -1)) pending.splice(i, 1);
    }
    say();
    say(`2${encoding === 'text' ? 'a' : 'b'}. ${encoding} reports: ${messages} message(s), ${parts} SMS part(s) in all`);
    if (typeof first === 'string') say(`    first message, readable on a phone:\n    ${first.slice(0, 150)}${first.length > 150 ? '…' : ''}`);
    else if (first !== undefined) say(`    first message, ${first.length} octets: ${first.subarray(0, 48).toString('hex')}${first.length > 48 ? '…' : ''}`);
  }

  const text = encodeTextReport({ version: 1, device: '42', seq: 1, baseTime: start, readings: readings.slice(0, 3) });
  const split = splitText(text, { method: 'udh8', reference: 1, encoding: 'gsm7' });
  const part = split.parts[0];
  if (part === undefined) return;
  const pdu = createPdu('submit_sm', {
    sequence_number: 1,
    source_addr_ton: 5,
    source_addr: 'EDGE42',
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: '447700900000',
    registered_delivery: 1,
    esm_class: part.esmClassUdhi ? 0x40 : 0,
    data_coding: split.dataCoding,
    short_message: part.shortMessage,
    tlvs: part.tlvs,
  });
  const bytes = encodePdu(pdu);
  say();
  say(`3. the SMPP submit_sm that carries a ${text.length}-character report: ${bytes.length} octets`);
  say(`   ${bytes.toString('hex')}`);
  const decoded = decodePdu(bytes);
  const json = pduToJson(decoded);
  say(`   decoded again (edge-sms-agent smpp decode): ${JSON.stringify({ command: json['command'], destination_addr: json['destination_addr'], data_coding: json['data_coding'] })}`);
  say(`   and at the centre (edge-sms-agent decode-report): ${JSON.stringify(decodeReport(text).readings[0])}`);
  const binary = splitBinary(encodeBinaryReport({ version: 1, device: '42', seq: 2, baseTime: start, readings }), { method: 'udh8', reference: 2, maxParts: 8, ports: { sourcePort: 49152, destinationPort: 49152 } });
  say(`   the same ${readings.length} readings in binary: ${binary.parts.length} submit_sm part(s) with port 49152 in the UDH`);
  say();
  say('Next: edge-sms-agent --help lists the tools (smpp decode/encode, decode-report, report, queue).');
}

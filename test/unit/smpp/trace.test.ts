/** The trace's pieces on their own: pairing and expiry, percentiles, the synthetic TCP flow, the pcap ring. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { account, boundSession, startSimulator } from '../../helpers/simSetup.js';
import {
  createPdu, createResponse, encodePdu, LinkTracer, type SmppSessionOptions, PcapRing, percentiles, readRing, TcpFlow, TraceSummary,
  type PacketSink, type TraceRecord,
} from '../../../src/smpp/index.js';

describe('LinkTracer', () => {
  function tracer(timeoutMs = 1000): { t: LinkTracer; records: TraceRecord[]; clock: { now: number }; summary: TraceSummary } {
    const records: TraceRecord[] = [];
    const clock = { now: 1_700_000_000_000 };
    const summary = new TraceSummary(1);
    return { t: new LinkTracer({ conn: 1, timeoutMs, emit: (r) => records.push(r), summaries: [summary], now: () => clock.now }), records, clock, summary };
  }

  it('pairs responses with requests each way, with latencies, and flags responses to nothing', () => {
    const { t, records, clock, summary } = tracer();
    const submit = createPdu('submit_sm', { sequence_number: 7, destination_addr: '447700900001', short_message: Buffer.from('hi') });
    t.pdu('out', encodePdu(submit));
    const deliver = createPdu('deliver_sm', { sequence_number: 7, source_addr: '447700900001', short_message: Buffer.from('MO') });
    clock.now += 5;
    t.pdu('in', encodePdu(deliver));
    clock.now += 20;
    const resp = t.pdu('in', encodePdu(createResponse(submit, 0, { message_id: 'A1' })));
    assert.equal(resp.request, 'submit_sm');
    assert.equal(resp.latencyMs, 25);
    assert.equal(resp.fields?.['message_id'], 'A1');
    const moResp = t.pdu('out', encodePdu(createResponse(deliver, 0)));
    assert.equal(moResp.request, 'deliver_sm');
    assert.equal(moResp.latencyMs, 20);
    const stray = t.pdu('in', encodePdu(createPdu('enquire_link_resp', { sequence_number: 99 })));
    assert.equal(stray.unmatched, true);
    assert.equal(records[0]?.type === 'pdu' && records[0].fields?.['text'], 'hi');
    const figures = summary.record('x').commands['submit_sm'];
    assert.deepEqual({ ...figures, latencyMs: figures?.latencyMs?.p50 }, { requests: 1, responses: 1, unanswered: 0, latencyMs: 25, statuses: { ESME_ROK: 1 } });
  });

  it('reports a request unanswered when it expires or the link closes, once', () => {
    const { t, records, clock } = tracer(1000);
    t.pdu('out', encodePdu(createPdu('submit_sm', { sequence_number: 1 })));
    t.pdu('out', encodePdu(createPdu('enquire_link', { sequence_number: 2 })));
    clock.now += 500;
    t.pdu('out', encodePdu(createPdu('query_sm', { sequence_number: 3 })));
    clock.now += 600;
    t.sweep();
    const expired = records.filter((r) => r.type === 'unanswered');
    assert.deepEqual(expired.map((r) => r.type === 'unanswered' && [r.command, r.reason, r.ageMs]), [['submit_sm', 'expired', 1100], ['enquire_link', 'expired', 1100]]);
    t.close();
    t.close();
    const all = records.filter((r) => r.type === 'unanswered');
    assert.equal(all.length, 3);
    assert.deepEqual(all[2]?.type === 'unanswered' && [all[2].command, all[2].reason, all[2].ageMs], ['query_sm', 'closed', 600]);
  });

  it('reports an undecodable PDU with its header and the reason', () => {
    const { t } = tracer();
    const bytes = encodePdu(createPdu('submit_sm', { sequence_number: 4 }));
    const broken = Buffer.concat([bytes.subarray(0, 18)]);
    broken.writeUInt32BE(broken.length, 0);
    const record = t.pdu('out', broken);
    assert.equal(record.command, 'submit_sm');
    assert.equal(record.seq, 4);
    assert.ok(record.error !== undefined);
  });
});

describe('TraceSummary', () => {
  it('keeps the most recent latencies per command, growing up to its bound', () => {
    const summary = new TraceSummary('all', 100);
    for (let i = 1; i <= 40; i++) summary.response('submit_sm', 'ESME_ROK', i);
    assert.deepEqual(summary.record('x').commands['submit_sm']?.latencyMs, { p50: 20, p95: 38, p99: 40, max: 40 });
    for (let i = 1; i <= 150; i++) summary.response('submit_sm', 'ESME_ROK', 1000 + i);
    // Only the last 100 (1051..1150) count now.
    assert.deepEqual(summary.record('x').commands['submit_sm']?.latencyMs, { p50: 1100, p95: 1145, p99: 1149, max: 1150 });
    assert.equal(summary.record('x').commands['submit_sm']?.responses, 190);
  });
});

describe('percentiles', () => {
  it('is nearest-rank', () => {
    const values = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    assert.deepEqual(percentiles(values), { p50: 50, p95: 95, p99: 99, max: 100 });
    assert.deepEqual(percentiles(Float64Array.from([300, 100])), { p50: 100, p95: 300, p99: 300, max: 300 });
  });
});

/** Sum of 16-bit words (one's complement): 0xffff over a header whose checksum is right. */
function checks(bytes: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum === 0xffff;
}

describe('TcpFlow', () => {
  it('writes a handshake, data segments cut at 1460 with sequence numbers that add up, correct checksums, and FINs', () => {
    const packets: Buffer[] = [];
    const sink: PacketSink = { packet: (_at, bytes) => packets.push(bytes) };
    const flow = new TcpFlow(sink, { address: '127.0.0.1', port: 40000 }, { address: '10.0.0.5', port: 2775 });
    flow.open(0);
    flow.data(1, 'out', Buffer.alloc(3001, 1));
    flow.data(2, 'in', Buffer.alloc(17, 2));
    flow.close(3);
    const tcp = (p: Buffer): { seq: number; ack: number; flags: number; len: number; src: number } =>
      ({ seq: p.readUInt32BE(24), ack: p.readUInt32BE(28), flags: p[33]!, len: p.length - 40, src: p.readUInt16BE(20) });
    const segments = packets.map(tcp);
    assert.deepEqual(segments.map((s) => s.len), [0, 0, 0, 1460, 1460, 81, 17, 0, 0, 0]);
    assert.deepEqual(segments.map((s) => s.flags), [0x02, 0x12, 0x10, 0x18, 0x18, 0x18, 0x18, 0x11, 0x11, 0x10]);
    const [syn, synAck] = segments;
    assert.equal(segments[3]?.seq, (syn!.seq + 1) >>> 0);
    assert.equal(segments[4]?.seq, (syn!.seq + 1 + 1460) >>> 0);
    assert.equal(segments[6]?.seq, (synAck!.seq + 1) >>> 0);
    assert.equal(segments[6]?.ack, (syn!.seq + 1 + 3001) >>> 0, 'the SMSC acknowledges all the ESME sent');
    for (const packet of packets) {
      assert.ok(checks(packet.subarray(0, 20)), 'IPv4 header checksum');
      const pseudo = Buffer.concat([packet.subarray(12, 20), Buffer.from([0, 6]), Buffer.from([(packet.length - 20) >> 8, (packet.length - 20) & 0xff]), packet.subarray(20)]);
      assert.ok(checks(pseudo), 'TCP checksum');
    }
  });

  it('writes IPv6 when an end is IPv6', () => {
    const packets: Buffer[] = [];
    new TcpFlow({ packet: (_at, bytes) => packets.push(bytes) }, { address: '::1', port: 1 }, { address: '127.0.0.1', port: 2 }).data(0, 'out', Buffer.alloc(4));
    assert.equal(packets[0]![0]! >> 4, 6);
    assert.equal(packets.at(-1)!.length, 40 + 20 + 4);
  });
});

describe('PcapRing', () => {
  it('rotates at half the bound into file.1, and reads both back as one capture', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcap-ring-'));
    try {
      const path = join(dir, 'x.pcap');
      const ring = new PcapRing(path, 65536);
      for (let i = 0; i < 100; i++) ring.packet(i, Buffer.alloc(1000, i));
      ring.flush();
      assert.ok(existsSync(`${path}.1`));
      assert.ok(readFileSync(path).length <= 32768 && readFileSync(`${path}.1`).length <= 32768);
      const joined = ring.read();
      assert.equal(joined.readUInt32LE(0), 0xa1b2c3d4);
      assert.equal(joined.readUInt32LE(20), 101);
      // Whole records only, the last one being packet 99.
      let at = 24;
      let last = -1;
      while (at < joined.length) {
        const length = joined.readUInt32LE(at + 8);
        last = joined[at + 16]!;
        at += 16 + length;
      }
      assert.equal(at, joined.length);
      assert.equal(last, 99);
      ring.close();
      assert.deepEqual(readRing(path), joined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the session trace log', () => {
  it('never carries the bind password in its hex', async () => {
    const lines: unknown[] = [];
    const logger: NonNullable<SmppSessionOptions['logger']> = {
      child: () => logger,
      isLevelEnabled: () => true,
      debug: () => undefined,
      warn: () => undefined,
      trace: (object) => lines.push(object),
    };
    const sim = await startSimulator();
    try {
      const session = await boundSession(sim.port, { logger });
      await session.close();
    } finally {
      await sim.stop();
    }
    const hex = lines.map((line) => String((line as { hex?: string }).hex ?? '')).join(' ');
    assert.ok(hex.includes(Buffer.from(account.systemId).toString('hex')), 'the bind is in the trace');
    assert.ok(!hex.includes(Buffer.from(account.password).toString('hex')), 'its password is not');
  });
});

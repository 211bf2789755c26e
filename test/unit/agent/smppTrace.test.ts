/**
 * The agent's SMPP trace on a real session against a bare SMSC: bind and submit paired with their
 * responses, an undecodable deliver_sm traced with its header and reason (and our generic_nack),
 * the capture ring holding the session, and the link's close reported.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmppTrace } from '../../../src/agent/runtime/smppTrace.js';
import { createPdu, SmppClient, type PduRecord, type TraceRecord } from '../../../src/smpp/index.js';
import { rawPdu, startRawSmsc } from '../../helpers/rawSmsc.js';
import { sessionOptions } from '../../helpers/simSetup.js';
import { until } from '../../helpers/agentProcess.js';

describe('SmppTrace', () => {
  it('traces a session, undecodable PDUs included, into the hub and the capture', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smpp-trace-'));
    const smsc = await startRawSmsc();
    const trace = new SmppTrace({ requestTimeoutMs: 2000, capture: { file: join(dir, 'c.pcap'), maxBytes: 65536 } });
    const seen: TraceRecord[] = [];
    trace.onRecord((record) => seen.push(record));
    const client = new SmppClient(sessionOptions(smsc.port));
    trace.attach(client);
    try {
      client.start();
      await client.waitBound(5000);
      await client.request(createPdu('submit_sm', { destination_addr: '447700900001', short_message: Buffer.from('hello') }));
      smsc.socket().write(rawPdu(0x00000005, 78, Buffer.from('abcd')));
      await until(() => seen.some((record) => record.type === 'pdu' && record.command === 'generic_nack'), 5000, 'our generic_nack traced');
      await client.stop();
      await until(() => seen.some((record) => record.type === 'connection' && record.event === 'close'), 5000, 'the close');

      const pdus = seen.filter((record): record is PduRecord => record.type === 'pdu');
      assert.deepEqual(pdus.map((record) => `${record.dir} ${record.command}`), [
        'out bind_transceiver', 'in bind_transceiver_resp', 'out submit_sm', 'in submit_sm_resp', 'in deliver_sm', 'out generic_nack', 'out unbind', 'in unbind_resp',
      ]);
      const broken = pdus.find((record) => record.command === 'deliver_sm');
      assert.equal(broken?.seq, 78);
      assert.ok(broken?.error !== undefined, 'the reason it did not decode');
      assert.equal(pdus.find((record) => record.command === 'submit_sm_resp')?.request, 'submit_sm');
      assert.equal(seen[0]?.type, 'connection');
      assert.equal(trace.hub.recent(100).length, seen.length);
      assert.equal(trace.summaryRecord().commands['submit_sm']?.responses, 1);
      const capture = trace.capture();
      assert.ok(capture !== undefined && capture.length > 24 + 8 * (16 + 40));
    } finally {
      await client.stop();
      trace.stop();
      await smsc.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * `smpp proxy` between node-smpp's client and node-smpp's server (both real, over TCP): every PDU
 * passes unchanged, the JSON log pairs every request with its response and a latency, nothing is
 * left unanswered, the bind password appears nowhere (log or capture) though the server got it,
 * the summary counts it all, and tshark (no options) decodes every PDU of the capture with the
 * right command, sequence number and status — the long submit_sm spanning TCP segments included.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandId, type PduRecord, type SummaryRecord, type TraceRecord } from '../../src/smpp/index.js';
import { nodeSmppCall, nodeSmppConnect, nodeSmppServer, nodeSmppText, type NodeSmppSession } from '../helpers/nodeSmppNet.js';
import { ProxyProcess } from '../helpers/smppProxyProcess.js';
import { tsharkJson, tsharkSmppPdus, tsharkTcpProblems } from '../helpers/tshark.js';
import { until } from '../helpers/agentProcess.js';

const password = 'pw8Xq2z';

describe('smpp proxy with node-smpp on both sides', () => {
  it('passes everything, pairs every request, hides the password and writes a capture tshark decodes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-proxy-'));
    const pcap = join(dir, 'link.pcap');
    const received: string[] = [];
    let boundWith = '';
    let nextId = 1;
    const server = await nodeSmppServer((session) => {
      session.on('bind_transceiver', (pdu) => {
        boundWith = String(pdu['password']);
        session.send(pdu.response({ system_id: 'NODE' }));
      });
      session.on('submit_sm', (pdu) => {
        const payload = pdu['message_payload'];
        received.push(payload === undefined ? nodeSmppText(pdu['short_message']) : nodeSmppText(payload));
        session.send(pdu.response({ message_id: `N${nextId++}` }));
      });
      session.on('enquire_link', (pdu) => session.send(pdu.response()));
      session.on('unbind', (pdu) => {
        session.send(pdu.response());
        session.close();
      });
    });
    const proxy = new ProxyProcess(['--listen', '127.0.0.1:0', '--upstream', `smpp://127.0.0.1:${server.port}`, '--json', '--pcap', pcap]);
    let client: NodeSmppSession | undefined;
    try {
      const port = await proxy.port;
      client = await nodeSmppConnect(port);
      const session = client;
      const bound = await nodeSmppCall((cb) => session.bind_transceiver({ system_id: 'esme1', password }, cb));
      assert.equal(bound.command_status, 0);
      // Twenty at once (several in flight), then one long message whose PDU spans TCP segments.
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        nodeSmppCall((cb) => session.submit_sm({ source_addr: 'ACME', destination_addr: `4477009000${String(i).padStart(2, '0')}`, short_message: `reading ${i}` }, cb))));
      assert.ok(answers.every((answer) => answer.command_status === 0));
      const long = 'L'.repeat(3000);
      const longAnswer = await nodeSmppCall((cb) => session.submit_sm({ source_addr: 'ACME', destination_addr: '447700900099', message_payload: long }, cb));
      assert.equal(longAnswer.command_status, 0);
      await nodeSmppCall((cb) => session.enquire_link(cb));
      await nodeSmppCall((cb) => session.unbind(cb));
      await until(() => proxy.records().some((record) => record.type === 'connection' && record.event === 'close'), 10_000, 'the proxy to see the link close');
      assert.equal(await proxy.stop(), 0);

      // The server got every message and the real password.
      assert.equal(boundWith, password);
      for (let i = 0; i < 20; i++) assert.ok(received.includes(`reading ${i}`), `reading ${i} reached the server`);
      assert.ok(received.includes(long));

      const records: TraceRecord[] = proxy.records();
      const pdus = records.filter((record): record is PduRecord => record.type === 'pdu');
      const requests = pdus.filter((record) => record.dir === 'out');
      const responses = pdus.filter((record) => record.dir === 'in');
      assert.equal(requests.length, 24); // bind, 20 + 1 submits, enquire_link, unbind
      assert.equal(responses.length, 24);
      for (const request of requests) {
        const answer = responses.filter((response) => response.seq === request.seq);
        assert.equal(answer.length, 1, `one response for ${request.command} ${request.seq}`);
        assert.equal(answer[0]?.request, request.command);
        assert.ok(typeof answer[0]?.latencyMs === 'number' && answer[0].latencyMs >= 0);
      }
      assert.ok(!records.some((record) => record.type === 'unanswered' || (record.type === 'pdu' && record.unmatched === true)));
      const submit = requests.find((record) => record.command === 'submit_sm' && record.fields?.['text'] === 'reading 7');
      assert.equal(submit?.fields?.['destination_addr'], '447700900007');
      assert.equal(requests[0]?.fields?.['password'], '*'.repeat(password.length));

      // The password is nowhere in what the proxy wrote.
      assert.ok(!proxy.lines.join('\n').includes(password));
      assert.ok(!readFileSync(pcap).includes(password));

      const summaries = records.filter((record): record is SummaryRecord => record.type === 'summary');
      const all = summaries.find((summary) => summary.conn === 'all');
      assert.ok(summaries.some((summary) => summary.conn === 1), 'a summary for the connection');
      assert.equal(all?.commands['submit_sm']?.requests, 21);
      assert.equal(all?.commands['submit_sm']?.responses, 21);
      assert.deepEqual(all?.commands['submit_sm']?.statuses, { ESME_ROK: 21 });
      assert.ok((all?.commands['submit_sm']?.latencyMs?.p99 ?? -1) >= 0);

      // tshark, no options: every PDU, same command, sequence and status, in order per direction.
      const decoded = tsharkSmppPdus(pcap);
      const key = (commandId: number, seq: number, status: number): string => `${commandId.toString(16)}:${seq}:${status}`;
      const expected = pdus.map((record) => key(CommandId[record.command as keyof typeof CommandId], record.seq, record.commandStatus));
      assert.deepEqual(decoded.map((pdu) => key(pdu.commandId, pdu.seq, pdu.status)).sort(), [...expected].sort());
      const longSeq = requests.find((record) => record.length > 3000)?.seq;
      assert.ok(longSeq !== undefined && decoded.some((pdu) => pdu.commandId === CommandId.submit_sm && pdu.seq === longSeq), 'the long PDU decoded');
      assert.deepEqual(tsharkTcpProblems(pcap), []);
      // tshark's own JSON: the bind's password field is there, starred, its length kept.
      const binds = tsharkJson(pcap, 'smpp.command_id == 0x00000009');
      assert.equal(binds.length, 1);
      assert.equal(JSON.stringify(binds[0]?._source.layers['smpp']).match(/"smpp\.password": ?"([^"]*)"/)?.[1], '*'.repeat(password.length));
    } finally {
      client?.destroy();
      await proxy.stop();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

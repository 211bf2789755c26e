/**
 * The proxy's latency figures against an SMSC that answers after known delays (submit_sm 100 ms,
 * data_sm 300 ms): each paired response's latency is at least its delay, the per-command p50 of the
 * summary falls in a tolerant band above it (correctness, not speed). A request never answered is
 * reported `expired` after --timeout, one still waiting when the link closes is reported `closed`;
 * SIGUSR1 prints the summary while running; a PDU written in three pieces passes whole. And the
 * upstream may be TLS (smpps://, checked against the CA given in the URL).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { createPdu, createResponse, decodePdu, encodePdu, PduFramer, SmppSession, type Pdu, type PduRecord, type SummaryRecord, type UnansweredRecord } from '../../src/smpp/index.js';
import { ProxyProcess } from '../helpers/smppProxyProcess.js';
import { until } from '../helpers/agentProcess.js';
import { makeTestPki } from '../helpers/testCertificates.js';
import { account, sessionOptions, startSimulator } from '../helpers/simSetup.js';

/** An SMSC that answers binds at once, submit_sm after 100 ms, data_sm after 300 ms, and never answers destination "never" or query_sm. */
async function delayingSmsc(): Promise<{ port: number; received: Pdu[]; close: () => Promise<void> }> {
  const received: Pdu[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    const framer = new PduFramer();
    socket.on('data', (chunk: Buffer) => {
      for (const event of framer.push(chunk)) {
        if (event.kind !== 'pdu') continue;
        const pdu = decodePdu(event.bytes);
        received.push(pdu);
        const answer = (delayMs: number, response: Pdu): void => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            if (!socket.destroyed) socket.write(encodePdu(response));
          }, delayMs);
          timers.add(timer);
        };
        if (pdu.command === 'bind_transceiver') answer(0, createResponse(pdu, 0, { system_id: 'DELAY' }));
        else if (pdu.command === 'submit_sm' && pdu.destination_addr !== 'never') answer(100, createResponse(pdu, 0, { message_id: `S${pdu.sequence_number}` }));
        else if (pdu.command === 'data_sm') answer(300, createResponse(pdu, 0x58, { message_id: '' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    received,
    close: () => new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

describe('smpp proxy latency and unanswered requests', () => {
  it('measures known delays, reports expired and closed requests, summarises on SIGUSR1', async () => {
    const smsc = await delayingSmsc();
    const proxy = new ProxyProcess(['--listen', '0', '--upstream', `smpp://127.0.0.1:${smsc.port}`, '--json', '--timeout', '1000']);
    let client: Socket | undefined;
    try {
      const port = await proxy.port;
      const socket = connect(port, '127.0.0.1');
      client = socket;
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      const responses: Pdu[] = [];
      const framer = new PduFramer();
      socket.on('data', (chunk: Buffer) => {
        for (const event of framer.push(chunk)) if (event.kind === 'pdu') responses.push(decodePdu(event.bytes));
      });
      socket.write(encodePdu(createPdu('bind_transceiver', { sequence_number: 1, system_id: 'esme1', password: 'secret' })));
      await until(() => responses.length === 1, 10_000, 'bind_transceiver_resp');
      let seq = 2;
      for (let i = 0; i < 6; i++) {
        socket.write(encodePdu(createPdu('submit_sm', { sequence_number: seq++, destination_addr: '447700900001', short_message: Buffer.from(`s${i}`) })));
        socket.write(encodePdu(createPdu('data_sm', { sequence_number: seq++, destination_addr: '447700900002' })));
      }
      // One PDU in three writes: the proxy forwards the pieces and still frames the whole.
      const split = encodePdu(createPdu('submit_sm', { sequence_number: seq++, destination_addr: '447700900003', short_message: Buffer.from('in three pieces') }));
      for (const piece of [split.subarray(0, 10), split.subarray(10, 30), split.subarray(30)]) {
        socket.write(piece);
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      const neverSeq = seq++;
      socket.write(encodePdu(createPdu('submit_sm', { sequence_number: neverSeq, destination_addr: 'never', short_message: Buffer.from('x') })));
      await until(() => responses.length === 1 + 12 + 1, 15_000, 'every answered response');
      const unanswered = (): UnansweredRecord[] => proxy.records().filter((record): record is UnansweredRecord => record.type === 'unanswered');
      await until(() => unanswered().some((record) => record.seq === neverSeq), 10_000, 'the unanswered submit reported expired');
      assert.equal(unanswered()[0]?.reason, 'expired');
      assert.ok((unanswered()[0]?.ageMs ?? 0) >= 1000);

      const querySeq = seq++;
      socket.write(encodePdu(createPdu('query_sm', { sequence_number: querySeq, message_id: 'S2' })));
      await until(() => proxy.records().some((record) => record.type === 'pdu' && record.command === 'query_sm'), 10_000, 'query_sm traced');
      proxy.signal('SIGUSR1');
      await until(() => proxy.records().some((record) => record.type === 'summary' && record.conn === 'all'), 10_000, 'a summary on SIGUSR1');
      socket.destroy();
      await until(() => unanswered().some((record) => record.seq === querySeq), 10_000, 'the query reported when the link closed');
      assert.equal(unanswered().find((record) => record.seq === querySeq)?.reason, 'closed');
      assert.equal(await proxy.stop(), 0);

      const records = proxy.records();
      const paired = records.filter((record): record is PduRecord => record.type === 'pdu' && record.request !== undefined);
      for (const record of paired.filter((r) => r.request === 'submit_sm')) assert.ok((record.latencyMs ?? 0) >= 99, `submit latency ${record.latencyMs}`);
      for (const record of paired.filter((r) => r.request === 'data_sm')) {
        assert.ok((record.latencyMs ?? 0) >= 299, `data_sm latency ${record.latencyMs}`);
        assert.equal(record.status, 'ESME_RTHROTTLED');
      }
      const all = records.filter((record): record is SummaryRecord => record.type === 'summary' && record.conn === 'all').at(-1);
      const submitP50 = all?.commands['submit_sm']?.latencyMs?.p50 ?? 0;
      const dataP50 = all?.commands['data_sm']?.latencyMs?.p50 ?? 0;
      assert.ok(submitP50 >= 99 && submitP50 < 300, `submit_sm p50 ${submitP50} ms`);
      assert.ok(dataP50 >= 299 && dataP50 < 500, `data_sm p50 ${dataP50} ms`);
      assert.equal(all?.commands['submit_sm']?.requests, 8);
      assert.equal(all?.commands['submit_sm']?.unanswered, 1);
      assert.equal(all?.commands['query_sm']?.unanswered, 1);
      assert.deepEqual(all?.commands['data_sm']?.statuses, { ESME_RTHROTTLED: 6 });
      // The server got the split PDU whole.
      assert.ok(smsc.received.some((pdu) => pdu.command === 'submit_sm' && pdu.short_message.toString() === 'in three pieces'));
    } finally {
      client?.destroy();
      await proxy.stop();
      await smsc.close();
    }
  });

  it('reaches an SMSC over TLS (smpps:// with the CA in the URL)', async () => {
    const pki = makeTestPki();
    const sim = await startSimulator({ tls: { key: readFileSync(pki.serverKey), cert: readFileSync(pki.serverCert) } });
    const proxy = new ProxyProcess(['--listen', '0', '--upstream', `smpps://127.0.0.1:${sim.port}?ca=${pki.caCert}`, '--json']);
    try {
      const session = new SmppSession(sessionOptions(await proxy.port));
      await session.connect();
      const answer = await session.submit({ destination_addr: '447700900001', short_message: Buffer.from('through the proxy, over TLS') });
      assert.ok(answer.message_id !== '');
      await session.close();
      await until(() => proxy.records().some((record) => record.type === 'pdu' && record.command === 'unbind_resp'), 10_000, 'unbind_resp traced');
      const submitResp = proxy.records().find((record): record is PduRecord => record.type === 'pdu' && record.command === 'submit_sm_resp');
      assert.equal(submitResp?.request, 'submit_sm');
      assert.equal(submitResp?.fields?.['message_id'], answer.message_id);
      assert.ok(!proxy.lines.join('\n').includes(account.password));
    } finally {
      await proxy.stop();
      await sim.stop();
    }
  });
});

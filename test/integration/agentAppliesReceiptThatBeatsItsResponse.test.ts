/**
 * No receipt is lost to a race: an SMSC that writes each part's delivery receipt before its
 * submit_sm_resp, in the same TCP segment (a real TCP server built from the codec), for a single-part
 * alarm and for every part of a three-part one. The agent holds each early receipt until the response
 * lands and applies it then: every report ends `delivered` (before, they stayed `submitted` until the
 * receipt timeout re-sent them). A real agent process and database file.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { knock } from '../../src/store/index.js';
import { createPdu, createResponse, encodePdu, PduFramer, decodePdu } from '../../src/smpp/index.js';
import { AgentProcess, callApi, until, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { startRawSmsc } from '../helpers/rawSmsc.js';

/** The reports' states in the file; the knock has the agent commit its open group (store.groupCommitS) so a later poll sees it. */
function states(path: string): string[] {
  knock(path);
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT state FROM reports ORDER BY id').all() as Array<{ state: string }>).map((row) => row.state);
  } finally {
    db.close();
  }
}

describe('a delivery receipt that arrives before its submit_sm_resp', () => {
  it('is held and applied when the response lands, for one part and for every part of a long message', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-early-'));
    const dbPath = join(dir, 'agent.db');
    const smsc = await startRawSmsc({ answerSubmits: false });
    let submits = 0;
    let wired = false;
    const wire = (): void => {
      // Every submit_sm is answered with its receipt first and then its response, in one write (one segment).
      const framer = new PduFramer();
      smsc.socket().on('data', (chunk: Buffer) => {
        for (const event of framer.push(chunk)) {
          if (event.kind !== 'pdu') continue;
          const pdu = decodePdu(event.bytes);
          if (pdu.command !== 'submit_sm') continue;
          submits += 1;
          const id = `E${pdu.sequence_number}`;
          const receipt = createPdu('deliver_sm', {
            source_addr: pdu.destination_addr,
            destination_addr: pdu.source_addr,
            esm_class: 0x04,
            short_message: Buffer.from(`id:${id} sub:001 dlvrd:001 submit date:2412060800 done date:2412060800 stat:DELIVRD err:000 text:x`),
          });
          smsc.socket().write(Buffer.concat([encodePdu({ ...receipt, sequence_number: 100_000 + pdu.sequence_number }), encodePdu(createResponse(pdu, 0, { message_id: id }))]));
        }
      });
    };
    const api = join(dir, 'api.sock');
    const config = writeAgentConfig(dir, [
      'device: { id: pi-early }',
      `smpp: { url: "smpp://raw:raw@127.0.0.1:${smsc.port}?bind=trx", destination: "+447700900000" }`,
      'modem: { enabled: false }',
      'location: { enabled: false }',
      `store: { path: "${dbPath}", sweepS: 3600 }`,
      'reports: { kinds: { alarm: { receipts: true } } }',
      'mqtt: { enabled: false }',
      `api: { listen: "unix:${api}" }`,
      'log: { level: warn }',
    ]);
    const agent = new AgentProcess(config);
    try {
      agent.start();
      await smsc.next((pdu) => pdu.command === 'bind_transceiver', 20_000);
      if (!wired) {
        wire();
        wired = true;
      }
      await waitForApi(api, 20_000);
      assert.equal((await callApi(api, 'POST', '/reports', { kind: 'alarm', data: { door: true } })).status, 201);
      await until(() => states(dbPath)[0] === 'delivered', 10_000, 'the single-part alarm delivered');
      assert.equal((await callApi(api, 'POST', '/reports', { kind: 'alarm', data: { note: 'n'.repeat(400) } })).status, 201);
      await until(() => submits >= 4, 10_000, 'the three parts');
      await until(() => states(dbPath)[1] === 'delivered', 10_000, 'the three-part alarm delivered on its three early receipts');
      assert.deepEqual(states(dbPath), ['delivered', 'delivered']);
      assert.equal(submits, 4, 'nothing re-sent');
      assert.deepEqual(agent.above(40).map((entry) => entry.msg), []);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await smsc.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Malformed inbound SMS over SMPP (a UDH longer than the message, SAR sequence 0, SAR sequence above the
 * total) are answered ESME_ROK, so the SMSC never redelivers them forever, and never vanish: each is kept
 * in the inbox as undecodable with its raw octets and the reason, and published as events/sms-undecodable;
 * the same octets delivered again are kept once. A good MO after them is received as usual.
 * A real agent process, the SMSC simulator's MO injection, a real Mosquitto, the real database file.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tlv } from '../../src/smpp/index.js';
import { AgentProcess, until, writeAgentConfig } from '../helpers/agentProcess.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';
import { account, startSimulator } from '../helpers/simSetup.js';

describe('a malformed inbound SMS', () => {
  it('is acknowledged, kept as undecodable with its raw octets, and published; good ones still arrive', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-undecodable-'));
    const dbPath = join(dir, 'agent.db');
    const broker = await Mosquitto.start();
    const probe = await MqttProbe.connect(broker.url);
    await probe.subscribe('edge-sms/pi-mo/events/#');
    const sim = await startSimulator();
    let bound = false;
    sim.on('bound', () => (bound = true));
    const config = writeAgentConfig(dir, [
      'device: { id: pi-mo }',
      `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${sim.port}?bind=trx", destination: "+447700900000" }`,
      'modem: { enabled: false }',
      'location: { enabled: false }',
      `store: { path: "${dbPath}" }`,
      `mqtt: { url: "${broker.url}" }`,
      'api: { enabled: false }',
      'log: { level: warn }',
    ]);
    const agent = new AgentProcess(config);
    try {
      agent.start();
      await until(() => bound, 20_000, 'the bind');
      await probe.waitForTopic('edge-sms/pi-mo/status', (text) => text === 'online', 15_000).catch(() => undefined);
      const from = { source_addr: '447700900111', destination_addr: '447700900000' };
      const badUdh = Buffer.from([0x0a, 0x00, 0x03, 0x01]); // a UDH announcing 10 octets in a 4-octet message
      const malformed = [
        { ...from, esm_class: 0x40, short_message: badUdh },
        { ...from, short_message: Buffer.from('part zero'), tlvs: [tlv('sar_msg_ref_num', 7), tlv('sar_total_segments', 3), tlv('sar_segment_seqnum', 0)] },
        { ...from, short_message: Buffer.from('part five of three'), tlvs: [tlv('sar_msg_ref_num', 8), tlv('sar_total_segments', 3), tlv('sar_segment_seqnum', 5)] },
      ];
      for (const message of malformed) assert.equal(await sim.injectMo(message), 0, 'ESME_ROK: the SMSC must not redeliver it');
      assert.equal(await sim.injectMo(malformed[0]!), 0, 'a redelivery is acknowledged too');
      assert.equal(await sim.injectMo({ ...from, text: 'hello after the junk' }), 0);

      const events = (type: string): Array<Record<string, unknown>> => probe.messages.filter((m) => m.topic.endsWith(`/events/${type}`)).map((m) => JSON.parse(m.text) as Record<string, unknown>);
      await until(() => events('sms-undecodable').length >= 3 && events('sms-received').length >= 1, 10_000, 'the events');
      assert.equal(events('sms-undecodable').length, 3, 'the redelivery is kept once');
      assert.equal(events('sms-undecodable')[0]?.['hex'], badUdh.toString('hex'));
      assert.equal(events('sms-received')[0]?.['text'], 'hello after the junk');

      const db = new Database(dbPath, { readonly: true });
      try {
        const rows = db.prepare('SELECT sender, hex(payload) AS hex, undecodable FROM inbox WHERE undecodable IS NOT NULL ORDER BY id').all() as Array<{ sender: string; hex: string; undecodable: string }>;
        assert.equal(rows.length, 3);
        assert.equal(rows[0]?.hex.toLowerCase(), badUdh.toString('hex'));
        assert.match(rows[0]?.undecodable ?? '', /UDH|Codec_/i);
        assert.match(rows[1]?.undecodable ?? '', /part 0 of 3 is out of range/);
        assert.match(rows[2]?.undecodable ?? '', /part 5 of 3 is out of range/);
        assert.equal(rows[1]?.hex.toLowerCase(), Buffer.from('part zero').toString('hex'));
      } finally {
        db.close();
      }
      assert.equal(agent.above(40).length, 0, JSON.stringify(agent.above(40)));
      assert.equal((await agent.kill('SIGTERM')).code, 0);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await probe.close();
      await sim.stop();
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

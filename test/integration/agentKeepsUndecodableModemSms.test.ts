/**
 * Malformed SMS reaching the modem (a UDH longer than the user data, a truncated PDU, concatenation part 0
 * and part 3 of 2) never vanish and never fill the SIM: each is kept in the inbox as undecodable with the
 * PDU's raw octets and the reason, published as events/sms-undecodable (via modem), and then deleted from
 * the SIM. Some wait on the SIM before the agent starts (read by its start sweep, AT+CMGL), others arrive
 * while it runs (+CMTI, AT+CMGR). Part 1 of a message whose part 2 never comes is kept as incomplete after
 * `store.inboxPartialTimeoutS` (and its SIM slot freed), never taken for a whole message or a command.
 * A good SMS after them is received as usual.
 * A real agent process, the modem emulator on a real pseudo-terminal, a real Mosquitto, the real database file.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { encodeDeliverPdu } from '../../src/modem/index.js';
import { startModemEmulator } from '../../src/sim/index.js';
import { AgentProcess, until, writeAgentConfig } from '../helpers/agentProcess.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';

const base = { smsc: '+27829135930', originator: '+27829999999', scts: new Date('2026-12-06T10:00:00Z') };

/** A text part whose concatenation element says part `seq` of 2 (written raw: our encoder refuses such numbers). */
function concatPart(seq: number, text: string): string {
  return encodeDeliverPdu({ ...base, userData: { text, alphabet: 'gsm7', header: [{ type: 'raw', iei: 0x00, data: Buffer.from([5, 2, seq]) }] } }).hex;
}

/** 8-bit data with a UDH whose length octet (the first of the user data) announces more than there is. */
function badUdh(): string {
  const pdu = Buffer.from(encodeDeliverPdu({ ...base, userData: { data: Buffer.from('abcdefgh'), header: [{ type: 'concat', referenceBits: 8, reference: 6, total: 2, sequence: 1 }] } }).hex, 'hex');
  const udl = 14; // 6 octets of header (UDHL + 5) and 8 of data
  pdu[pdu.length - udl] = 0x30;
  return pdu.toString('hex').toUpperCase();
}

/** The same PDU cut short: TP-UDL says 14 octets, 3 are there. */
function truncated(): string {
  const hex = encodeDeliverPdu({ ...base, userData: { data: Buffer.from('abcdefgh'), header: [{ type: 'concat', referenceBits: 8, reference: 7, total: 2, sequence: 1 }] } }).hex;
  return hex.slice(0, hex.length - 22);
}

describe('a malformed SMS at the modem', () => {
  it('is kept in the inbox as undecodable with its raw PDU, published, and deleted from the SIM', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-modem-undecodable-'));
    const dbPath = join(dir, 'agent.db');
    const broker = await Mosquitto.start();
    const probe = await MqttProbe.connect(broker.url);
    await probe.subscribe('edge-sms/pi-modem/events/#');
    const modem = await startModemEmulator({ link: join(dir, 'ttyUND0'), profile: 'simcom-sim7600' });
    const emulator = modem.emulator;
    const before = [badUdh(), concatPart(0, 'zero')];
    const during = [truncated(), concatPart(3, 'three')];
    const lonePart = encodeDeliverPdu({ ...base, userData: { text: 'PIN 1234 STATUS', alphabet: 'gsm7', header: [{ type: 'concat', referenceBits: 8, reference: 11, total: 2, sequence: 1 }] } }).hex;
    for (const hex of before) emulator.receivePdu(hex);
    const memory = emulator.state.receiveMemory;
    assert.equal(emulator.storage.used(memory), 2, 'waiting on the SIM before the agent starts');
    const agent = new AgentProcess(writeAgentConfig(dir, [
      'device: { id: pi-modem }',
      'smpp: { enabled: false, destination: "+447700900000" }',
      `modem: { port: "${modem.path}", profile: simcom-sim7600 }`,
      'location: { enabled: false }',
      `store: { path: "${dbPath}", inboxPartialTimeoutS: 2 }`,
      `mqtt: { url: "${broker.url}" }`,
      'api: { enabled: false }',
      'log: { level: warn }',
    ]));
    const events = (type: string): Array<Record<string, unknown>> => probe.messages.filter((m) => m.topic.endsWith(`/events/${type}`)).map((m) => JSON.parse(m.text) as Record<string, unknown>);
    try {
      agent.start();
      await until(() => events('sms-undecodable').length >= 2, 30_000, 'the two stored before start').catch((error: unknown) => {
        throw new Error(`${String(error)}; agent running: ${agent.running}; its last words: ${agent.raw.slice(-5).join(' | ')}`);
      });
      await until(() => emulator.storage.used(memory) === 0, 10_000, 'the SIM emptied');
      for (const hex of during) emulator.receivePdu(hex);
      emulator.receivePdu(lonePart);
      emulator.receive({ from: '+27828888888', text: 'hello after the junk' });
      await until(() => events('sms-undecodable').length >= 5 && events('sms-received').length >= 1, 30_000, 'the events');
      await until(() => emulator.storage.used(memory) === 0, 10_000, 'the SIM emptied again');
      assert.equal(events('sms-undecodable').length, 5);
      assert.match(String(events('sms-undecodable')[4]?.['reason']), /^incomplete: 1 of 2 parts arrived/);
      assert.doesNotMatch(Buffer.from(String(events('sms-undecodable')[4]?.['hex']), 'hex').toString(), /1234/, 'the PIN is redacted in the event');
      assert.equal(events('sms-received').length, 1, 'the lone part was never taken for a whole message');
      assert.ok(events('sms-undecodable').every((e) => e['via'] === 'modem'));
      assert.equal(events('sms-received')[0]?.['text'], 'hello after the junk');
      assert.equal(String(events('sms-undecodable')[0]?.['hex']).toUpperCase(), before[0]);

      const db = new Database(dbPath, { readonly: true });
      try {
        const rows = db.prepare(`SELECT link, sender, upper(hex(payload)) AS hex, undecodable FROM inbox WHERE undecodable IS NOT NULL ORDER BY id`).all() as Array<{ link: string; sender: string; hex: string; undecodable: string }>;
        assert.deepEqual(rows.slice(0, 4).map((row) => row.hex), [...before, ...during].map((hex) => hex.toUpperCase()), 'the raw PDUs, in arrival order');
        assert.match(rows[4]!.undecodable, /^incomplete: 1 of 2 parts arrived/);
        assert.equal(Buffer.from(rows[4]!.hex, 'hex').toString(), 'PIN 1234 STATUS', 'what arrived of it');
        assert.ok(rows.every((row) => row.link === 'modem'));
        assert.match(rows[0]!.undecodable, /UDHL 48 runs past/);
        assert.match(rows[1]!.undecodable, /part 0 of 2 is out of range/);
        assert.equal(rows[1]!.sender, '+27829999999', 'the sender, when the PDU got that far');
        assert.match(rows[2]!.undecodable, /runs past|cut off|truncated|missing/i);
        assert.match(rows[3]!.undecodable, /part 3 of 2 is out of range/);
        const good = db.prepare(`SELECT payload FROM inbox WHERE undecodable IS NULL AND type = 'mo'`).all() as Array<{ payload: Buffer }>;
        assert.deepEqual(good.map((row) => row.payload.toString()), ['hello after the junk']);
      } finally {
        db.close();
      }
      assert.equal(agent.logs.filter((entry) => entry.level >= 50).length, 0, JSON.stringify(agent.above(40)));
      assert.equal((await agent.kill('SIGTERM')).code, 0);
    } finally {
      if (agent.running) await agent.kill('SIGKILL');
      await probe.close();
      await modem.stop();
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

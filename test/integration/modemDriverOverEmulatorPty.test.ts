/**
 * End to end over a real pseudo-terminal, per profile: the driver (through serialport) against the emulator
 * speaking that profile's dialect. Init, identity and signal, send (short, long, UCS2) with status reports,
 * receive stored (+CMTI) and direct (+CMT) concatenated messages, GNSS fix and no fix.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { listProfiles } from '../../src/modem/index.js';
import { eventually, openRig } from '../fakes/modemE2e.js';

const fix = { lat: -34.550593, lon: -58.493099, altM: 6.6, speedKmh: 18.5, courseDeg: 271.5, time: new Date('2025-03-25T16:03:19Z'), satellites: 9 };
const long = 'This is a long message that the driver has to split into several parts with a concatenation header, and the emulator has to see every one of them arrive in order. '.repeat(2);
const cyrillic = 'Доставка завтра: ждите курьера ☺';

for (const name of listProfiles()) {
  describe(`driver ↔ emulator over a pty: ${name}`, () => {
    it('initialises and reads SIM, registration, operator, signal, identity and GNSS', async () => {
      const rig = await openRig(name, { fix });
      try {
        const status = await rig.driver.start({ recover: false, health: false });
        assert.equal(status.phase, 'ready');
        assert.equal(status.smsMode, 'pdu');
        const info = await rig.driver.readInfo();
        assert.equal(info.sim, 'ready');
        assert.equal(info.registered, true);
        assert.equal(info.operator?.name, 'Emulated Net');
        assert.deepEqual(info.signal, { rssi: 20, rssiDbm: -73, ber: null });
        assert.equal(info.imei, '869951030001234');
        assert.equal(info.imsi, '001010123456789');
        assert.equal(info.iccid, '8901260222102735463');
        if (rig.driver.profile.gnss.parser === 'none') {
          assert.deepEqual(info.gnss, { state: 'unsupported' });
        } else {
          assert.equal(info.gnss?.state, 'fix');
          if (info.gnss?.state === 'fix') {
            assert.ok(Math.abs(info.gnss.fix.lat - fix.lat) < 1e-4, `lat ${info.gnss.fix.lat}`);
            assert.ok(Math.abs(info.gnss.fix.lon - fix.lon) < 1e-4, `lon ${info.gnss.fix.lon}`);
            assert.ok(Math.abs((info.gnss.fix.speedKmh ?? 0) - fix.speedKmh) < 0.5 || rig.driver.profile.gnss.parser === 'ublox-uloc');
          }
          rig.modem.emulator.fix = undefined;
          assert.equal((await rig.driver.readGnss()).state, 'no-fix');
        }
      } finally {
        await rig.close();
      }
    });

    it('sends short, long and UCS2 texts, returns references, and matches status reports', async () => {
      const rig = await openRig(name);
      try {
        await rig.driver.start({ recover: false, health: false });
        const short = await rig.driver.sendSms({ to: '+27821234567', text: 'Hello from the Pi', messageId: 'short' });
        assert.equal(short.references.length, 1);
        const parts = await rig.driver.sendSms({ to: '+27821234567', text: long, messageId: 'long' });
        assert.equal(parts.references.length, 3);
        assert.equal(new Set(parts.references).size, 3);
        const ucs2 = await rig.driver.sendSms({ to: '+447700900123', text: cyrillic, messageId: 'ucs2' });
        assert.equal(ucs2.references.length, 1);
        const sends = rig.modem.emulator.commands.filter((c) => /^AT\+CMGS=\d+$/.test(c));
        assert.equal(sends.length, 5);
        await eventually(() => rig.reports.length === 5, 5000, 'five status reports');
        for (const report of rig.reports) {
          assert.equal(report.state, 'delivered');
          assert.ok(report.matched, `report ${report.reference} matched`);
        }
        assert.deepEqual(new Set(rig.reports.map((r) => r.matched?.messageId)), new Set(['short', 'long', 'ucs2']));
      } finally {
        await rig.close();
      }
    });

    it('receives stored messages (+CMTI), reassembles them, and deletes them after handing over', async () => {
      const rig = await openRig(name);
      try {
        await rig.driver.start({ recover: false, health: false });
        rig.modem.emulator.receive({ from: '+27829999999', text: long, reference: 42 });
        rig.modem.emulator.receive({ from: '+27828888888', text: cyrillic });
        await eventually(() => rig.messages.length === 2, 5000, 'two messages');
        await rig.driver.idle();
        const [first, second] = rig.messages;
        assert.equal(first?.sender, '+27829999999');
        assert.equal(first?.text, long);
        assert.equal(first?.parts, 3);
        assert.equal(first?.complete, true);
        assert.equal(second?.text, cyrillic);
        assert.match(first?.timestamp ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
        const memory = rig.modem.emulator.state.receiveMemory;
        assert.equal(rig.modem.emulator.storage.used(memory), 0, 'stored copies deleted');
      } finally {
        await rig.close();
      }
    });

    it('reads messages already stored at start (AT+CMGL) and receives direct +CMT deliveries', async () => {
      const rig = await openRig(name, { cnmi: ['2,2,0,1,0', '2,2,0,0,0'] });
      try {
        rig.modem.emulator.receive({ from: '+27827777777', text: 'stored before start' });
        await rig.driver.start({ recover: false, health: false });
        assert.equal(rig.messages[0]?.text, 'stored before start');
        rig.modem.emulator.receive({ from: '+27826666666', text: long, reference: 9 });
        await eventually(() => rig.messages.length === 2, 5000, 'direct message');
        assert.equal(rig.messages[1]?.text, long);
        assert.deepEqual(rig.messages[1]?.stored, []);
      } finally {
        await rig.close();
      }
    });
  });
}

describe('driver ↔ emulator over a pty: text mode fallback', () => {
  it('falls back to text mode when PDU mode is refused: sends GSM and UCS2 text, matches reports, receives', async () => {
    const rig = await openRig('simcom-sim800', { pduMode: false });
    try {
      const status = await rig.driver.start({ recover: false, health: false });
      assert.equal(status.phase, 'ready');
      assert.equal(status.smsMode, 'text');
      const plain = await rig.driver.sendSms({ to: '+27821234567', text: 'Hello from the Pi', messageId: 'plain' });
      const unicode = await rig.driver.sendSms({ to: '+27821234567', text: cyrillic, messageId: 'unicode' });
      assert.equal(plain.mode, 'text');
      assert.equal(unicode.references.length, 1);
      const commands = rig.modem.emulator.commands;
      assert.ok(commands.includes('AT+CMGS="+27821234567"'));
      assert.ok(commands.includes('AT+CMGS="002B00320037003800320031003200330034003500360037"'), 'UCS2 number');
      assert.equal(rig.modem.emulator.state.cscs, 'GSM', 'character set restored after UCS2');
      await eventually(() => rig.reports.length === 2, 5000, 'text-mode status reports');
      assert.deepEqual(rig.reports.map((r) => r.matched?.messageId).sort(), ['plain', 'unicode']);
      rig.modem.emulator.receive({ from: '+27829999999', text: 'plain text inbound' });
      await eventually(() => rig.messages.length === 1, 5000, 'text-mode message');
      assert.equal(rig.messages[0]?.text, 'plain text inbound');
      assert.equal(rig.messages[0]?.sender, '+27829999999');
      // The driver deletes it from the SIM after handing it over: the AT+CMGD may still be on the line (CI saw 1).
      await eventually(() => rig.modem.emulator.storage.used('SM') === 0, 5000, 'the message deleted from the SIM');
    } finally {
      await rig.close();
    }
  });
});

describe('driver ↔ emulator over a pty: phase 2+ acknowledgement', () => {
  it('acknowledges every direct +CMT and +CDS with AT+CNMA when AT+CSMS=1 is in force', async () => {
    const rig = await openRig('quectel-ec25', { cnmi: ['2,2,0,1,0'], service: 1 });
    try {
      await rig.driver.start({ recover: false, health: false });
      assert.equal(rig.modem.emulator.state.csms, 1);
      await rig.driver.sendSms({ to: '+27821234567', text: 'ack me' });
      rig.modem.emulator.receive({ from: '+27829999999', text: 'direct' });
      await eventually(() => rig.messages.length === 1 && rig.reports.length === 1, 5000, 'message and report');
      await rig.driver.idle();
      assert.equal(rig.modem.emulator.commands.filter((c) => c === 'AT+CNMA').length, 2);
      assert.equal(rig.modem.emulator.state.pendingAcks, 0);
    } finally {
      await rig.close();
    }
  });
});

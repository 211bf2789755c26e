/**
 * The router's two senders against real peers: report messages over SMPP to the SMSC simulator
 * (TCP), and over the modem emulator on a pseudo-terminal (serialport, AT+CMGS in PDU mode). What
 * each peer received is reassembled and decoded as the centre would.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SmppClient, createPdu, type Pdu } from '../../src/smpp/index.js';
import { SmppSender } from '../../src/agent/links/smppSender.js';
import { ModemSender, type ModemSms } from '../../src/agent/links/modemSender.js';
import { classifySendError } from '../../src/agent/router/classify.js';
import type { BuiltMessage } from '../../src/agent/router/types.js';
import { decodeSmsPdu } from '../../src/modem/index.js';
import { CommandStatus } from '../../src/smpp/index.js';
import { decodeReport, encodeBinaryReport, encodeTextReport, ReportReceiver, type ReportMessage } from '../../src/report/index.js';
import { sessionOptions, startSimulator } from '../helpers/simSetup.js';
import { openRig } from '../fakes/modemE2e.js';

const report: ReportMessage = {
  version: 1,
  device: '42',
  seq: 77,
  baseTime: 1_800_000_000,
  readings: Array.from({ length: 30 }, (_, i) => ({ kind: 'telemetry', time: 1_800_000_000 + 60 * i, fields: { T: 20 + i / 10, H: 40 + (i % 3) } })),
};

function built(format: BuiltMessage['format'], payload: string | Uint8Array, destination = '+447700900000'): BuiltMessage {
  return { messageId: 5, seq: report.seq, entryIds: [1, 2, 3], destination, payload, format };
}

describe('SmppSender against the SMSC simulator', () => {
  it('submits every part of a long report and returns one message_id per part; the centre decodes it', async () => {
    const sim = await startSimulator();
    const client = new SmppClient({ ...sessionOptions(sim.port), backoff: { initialMs: 50, jitter: 0 } });
    const seen: Pdu[] = [];
    sim.on('pdu', (pdu) => seen.push(pdu));
    try {
      client.start();
      await client.waitBound(3000);
      const sender = new SmppSender(client, { source: 'EDGE42', split: 'udh8', port: 49152, maxParts: 4, receipts: true });
      const ids = await sender.send(built('report-text', encodeTextReport(report)));
      const submits = seen.filter((pdu) => pdu.command === 'submit_sm');
      assert.equal(ids.length, submits.length);
      assert.ok(ids.length > 1 && ids.every((id) => id.length > 0));
      const centre = new ReportReceiver();
      const outcomes = submits.map((pdu) => (pdu.command === 'submit_sm' ? centre.accept({ ...pdu, command: 'deliver_sm' }) : undefined));
      assert.deepEqual(outcomes.at(-1), { kind: 'report', source: 'EDGE42', message: report, missing: [] });

      const binaryIds = await sender.send(built('report-binary', encodeBinaryReport(report)));
      assert.ok(binaryIds.length >= 1);

      sim.setFaults({ answerWith: { status: CommandStatus.ESME_RINVDSTADR, commands: ['submit_sm'] } });
      const refused = await sender.send(built('sms', 'hello')).then(() => undefined, (error: unknown) => error);
      assert.equal(classifySendError(refused).errorClass, 'permanent');
    } finally {
      await client.stop();
      await sim.stop();
    }
  });

  it('fails at once, as not sent, while the link is down', async () => {
    const client = new SmppClient({ ...sessionOptions(1), backoff: { initialMs: 60_000, jitter: 0 } });
    const sender = new SmppSender(client, { source: '', split: 'udh8', port: 49152, maxParts: 4, receipts: false });
    const error = await sender.send(built('sms', 'x')).then(() => undefined, (e: unknown) => e);
    // The link's failure, not the message's: again as soon as a link is up, at no attempt.
    assert.equal(classifySendError(error).errorClass, 'throttled');
    assert.ok(createPdu('enquire_link').command === 'enquire_link');
  });
});

describe('ModemSender against the modem emulator on a pty', () => {
  it('sends text and binary reports as SMS-SUBMITs the modem accepts and the centre decodes', async () => {
    const rig = await openRig('simcom-sim7600');
    const sentPdus: string[] = [];
    const spy: ModemSms = {
      sendSms: (request) => rig.driver.sendSms(request),
      sendEncoded: (parts, id) => {
        sentPdus.push(...parts.map((part) => part.hex));
        return rig.driver.sendEncoded(parts, id);
      },
    };
    try {
      await rig.driver.start({ recover: false, health: false });
      const sender = new ModemSender(spy, { port: 49152, maxParts: 4, statusReports: false });
      const textRefs = await sender.send(built('report-text', encodeTextReport({ ...report, readings: report.readings.slice(0, 3) }), '+447700900001'));
      assert.equal(textRefs.length, 1);

      const binaryRefs = await sender.send(built('report-binary', encodeBinaryReport(report), '+447700900001'));
      assert.equal(binaryRefs.length, sentPdus.length);
      const parts = sentPdus.map((hex) => decodeSmsPdu(hex));
      const ordered = parts
        .map((pdu) => (pdu.type === 'SMS-SUBMIT' ? pdu.userData : undefined))
        .filter((data) => data !== undefined)
        .sort((a, b) => (a.header?.concat?.sequence ?? 1) - (b.header?.concat?.sequence ?? 1));
      for (const data of ordered) assert.equal(data.header?.ports?.destinationPort, 49152);
      const decoded = decodeReport(Buffer.concat(ordered.map((data) => data.data)));
      assert.deepEqual(decoded, report);
    } finally {
      await rig.close();
    }
  });
});

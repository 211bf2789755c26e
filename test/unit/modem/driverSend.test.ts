/**
 * What the driver puts on the wire when sending, checked against the captured SIM800 exchange
 * (sim800-send-pdu.txt: the same PDU byte for byte) and with status-report matching by MR and recipient.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AtChannel, ModemDriver, loadProfile, smsPduCodec, type StatusReportEvent } from '../../../src/modem/index.js';
import { parseTranscript, TranscriptPort } from '../../fakes/transcript.js';

function driverOn(script: string, profile = 'simcom-sim800'): { driver: ModemDriver; port: TranscriptPort; reports: StatusReportEvent[]; close: () => void } {
  const port = new TranscriptPort(parseTranscript('inline', script));
  const channel = new AtChannel(port, { timeoutMs: 2000 });
  const reports: StatusReportEvent[] = [];
  const driver = new ModemDriver({ channel, profile: loadProfile(profile), codec: smsPduCodec, onStatusReport: (r) => void reports.push(r) });
  // Not started: the modem is taken as already set up (PDU mode), and only URCs are routed.
  driver.listen({ followStored: false });
  return { driver, port, reports, close: () => (channel.close(), port.destroy()) };
}

describe('ModemDriver.sendSms on the wire', () => {
  it('encodes "Hello from the Pi" exactly as the SIM800 capture (VP 24 h, no SRR) and returns the MR', async () => {
    const { driver, port, close } = driverOn(`> AT+CMGS=29
< {prompt}
> 0011000B917228214365F70000A711C8329BFD0699E5EF36888E2E83A069{CTRL-Z}
< +CMGS: 13
< OK
`);
    try {
      const result = await driver.sendSms({ to: '+27821234567', text: 'Hello from the Pi', statusReport: false });
      assert.deepEqual(result.references, [13]);
      assert.equal(result.mode, 'pdu');
      assert.equal(port.mismatch, undefined);
      assert.equal(port.remaining, 0);
    } finally {
      close();
    }
  });

  it('asks for a status report (first octet 0x31) and matches the +CDS to the message by MR and recipient', async () => {
    const { driver, reports, close } = driverOn(`> AT+CMGS=29
< {prompt}
> 0031000B917228214365F70000A711C8329BFD0699E5EF36888E2E83A069{CTRL-Z}
< +CMGS: 54
< OK
< +CDS: 25
< {cont}07917228195339F006360B917228214365F7816003018104808160030181448000
`);
    try {
      const result = await driver.sendSms({ to: '+27821234567', text: 'Hello from the Pi', messageId: 'm-1' });
      assert.deepEqual(result.references, [54]);
      await new Promise((resolve) => setTimeout(resolve, 30));
      await driver.idle();
      assert.equal(reports.length, 1);
      assert.equal(reports[0]?.state, 'delivered');
      assert.deepEqual(reports[0]?.matched, { messageId: 'm-1', to: '+27821234567', part: 1, parts: 1, reference: 54 });
    } finally {
      close();
    }
  });
});

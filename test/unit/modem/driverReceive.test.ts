/** Receiving on scripted exchanges: a slot seen by both a sweep and a +CMTI reaches the sink once, then is deleted. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AtChannel, ModemDriver, loadProfile, smsPduCodec, type ReceivedSms } from '../../../src/modem/index.js';
import { parseTranscript, TranscriptPort } from '../../fakes/transcript.js';

describe('ModemDriver receive', () => {
  it('hands a message seen by a sweep and by its +CMTI over once, and deletes it after the sink took it', async () => {
    const port = new TranscriptPort(
      parseTranscript(
        'inline',
        `> AT+CPMS="SM"
< +CPMS: 1,30,1,30,1,30
< OK
< +CMTI: "SM",1
> AT+CMGL=4
< +CMGL: 1,0,,24
< {cont}06917228195339040B917228214365F700003130805120618005D4F29C2E03
< OK
> AT+CMGD=1
< OK
`,
      ),
    );
    const channel = new AtChannel(port, { timeoutMs: 2000 });
    const messages: ReceivedSms[] = [];
    const driver = new ModemDriver({ channel, profile: loadProfile('simcom-sim800'), codec: smsPduCodec, onMessage: (sms) => void messages.push(sms) });
    driver.listen({ followStored: true });
    try {
      await driver.sweep();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await driver.idle();
      assert.equal(port.mismatch, undefined);
      assert.equal(port.remaining, 0);
      assert.equal(messages.length, 1);
      assert.deepEqual([messages[0]?.sender, messages[0]?.text, messages[0]?.timestamp], ['+27821234567', 'Test2', '2013-03-08T15:02:16+02:00']);
      assert.deepEqual(messages[0]?.stored, [{ memory: 'SM', index: 1 }]);
    } finally {
      channel.close();
      port.destroy();
    }
  });

  it('keeps a message on the modem when the sink fails, and hands it over at the next sweep', async () => {
    const pdu = '06917228195339040B917228214365F700003130805120618005D4F29C2E03';
    const port = new TranscriptPort(
      parseTranscript(
        'inline',
        `> AT+CPMS="SM"
< +CPMS: 1,30,1,30,1,30
< OK
> AT+CMGL=4
< +CMGL: 1,0,,24
< {cont}${pdu}
< OK
> AT+CMGL=4
< +CMGL: 1,1,,24
< {cont}${pdu}
< OK
> AT+CMGD=1
< OK
`,
      ),
    );
    const channel = new AtChannel(port, { timeoutMs: 2000 });
    let calls = 0;
    const driver = new ModemDriver({
      channel,
      profile: loadProfile('simcom-sim800'),
      codec: smsPduCodec,
      onMessage: () => {
        calls++;
        if (calls === 1) throw new Error('store full');
      },
    });
    driver.listen({ followStored: true });
    try {
      await driver.sweep();
      assert.equal(port.remaining, 2, 'not deleted after the failed hand-over');
      await driver.sweep();
      assert.equal(calls, 2);
      assert.equal(port.remaining, 0);
      assert.equal(port.mismatch, undefined);
    } finally {
      channel.close();
      port.destroy();
    }
  });
});

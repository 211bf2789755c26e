/** GNSS through the driver on scripted exchanges: power management per profile and the u-blox URC answer. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AtChannel, ModemDriver, loadProfile, smsPduCodec } from '../../../src/modem/index.js';
import { parseTranscript, TranscriptPort } from '../../fakes/transcript.js';

function driverOn(profile: string, script: string): { driver: ModemDriver; port: TranscriptPort; close: () => void } {
  const port = new TranscriptPort(parseTranscript('inline', script));
  const channel = new AtChannel(port, { timeoutMs: 2000 });
  const driver = new ModemDriver({ channel, profile: loadProfile(profile), codec: smsPduCodec });
  return { driver, port, close: () => (channel.close(), port.destroy()) };
}

describe('ModemDriver.readGnss', () => {
  it('Quectel: powers GNSS on, and again after +CME ERROR: 505 (session not active), then reads the fix', async () => {
    const { driver, port, close } = driverOn(
      'quectel-ec25',
      `> AT+QGPS=1
< OK
> AT+QGPSLOC=2
< +CME ERROR: 505
> AT+QGPS=1
< OK
> AT+QGPSLOC=2
< +QGPSLOC: 113355.0,44.74770,-85.56527,1.2,192.0,2,277.11,0.0,0.0,250420,10
< OK
> AT+QGPSLOC=2
< +CME ERROR: 516
`,
    );
    try {
      const first = await driver.readGnss();
      assert.equal(first.state, 'fix');
      if (first.state === 'fix') assert.deepEqual([first.fix.lat, first.fix.lon, first.fix.satellites], [44.7477, -85.56527, 10]);
      assert.deepEqual(await driver.readGnss(), { state: 'no-fix', reason: '+CME ERROR: 516' });
      assert.equal(port.remaining, 0);
    } finally {
      close();
    }
  });

  it('u-blox: AT+ULOC answers OK and the position comes later as +UULOC', async () => {
    const { driver, close } = driverOn(
      'ublox-sara-r4',
      `> AT+ULOC=2,1,1,60,5000
< OK
< +UULOC: 25/09/2013,10:13:29.000,45.7140971,13.7409172,266,17,0,0,18,1,6,3,9
`,
    );
    try {
      const reading = await driver.readGnss();
      assert.equal(reading.state, 'fix');
      if (reading.state === 'fix') assert.deepEqual([reading.fix.lat, reading.fix.lon, reading.fix.altM, reading.fix.fixTime], [45.7140971, 13.7409172, 266, '2013-09-25T10:13:29.000Z']);
    } finally {
      close();
    }
  });

  it('generic 3GPP: no GNSS, a state rather than an error', async () => {
    const { driver, close } = driverOn('generic-3gpp', '');
    try {
      assert.deepEqual(await driver.readGnss(), { state: 'unsupported' });
    } finally {
      close();
    }
  });
});

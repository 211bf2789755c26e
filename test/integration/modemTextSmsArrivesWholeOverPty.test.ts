/**
 * The AT channel over the modem emulator on a real pseudo-terminal, in text mode with the full
 * 27.005 header (AT+CMGF=1, AT+CSDH=1, AT+CNMI=2,2): an SMS whose body has several lines arrives
 * whole, its <length> honoured; a damaged +CMT line announcing a huge length does not wedge the
 * channel: the next command is answered.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Urc } from '../../src/modem/index.js';
import { eventually, openRig } from '../fakes/modemE2e.js';

const textOf = (urc: Urc): string | undefined => (urc.kind === 'message' && urc.mode === 'text' ? urc.text : undefined);

describe('text-mode SMS over the emulator on a pty', () => {
  it('a multi-line body arrives whole; a damaged length never wedges the channel', async () => {
    const rig = await openRig('generic-3gpp');
    const urcs: Urc[] = [];
    rig.channel.onUrc((urc) => void urcs.push(urc));
    try {
      for (const command of ['ATE0', 'AT+CMGF=1', 'AT+CSDH=1', 'AT+CNMI=2,2,0,0,0']) await rig.channel.send(command);
      rig.modem.emulator.receive({ from: '+447700900123', text: 'Pump 3 alarm\nlevel high\nreset at 14:00' });
      await eventually(() => urcs.some((urc) => textOf(urc) !== undefined), 5000, 'the +CMT');
      const message = urcs.find((urc) => textOf(urc) !== undefined);
      assert.equal(textOf(message as Urc), 'Pump 3 alarm\nlevel high\nreset at 14:00');
      assert.match(message?.line ?? '', /^\+CMT: "\+447700900123",,"[^"]+",145,\d+,0,0,"\+\d+",145,38$/);
      assert.equal((await rig.channel.send('AT+CSQ')).lines.length, 1, 'the channel answers the next command');

      // A damaged header announcing 4 GB of text, then the next command.
      rig.modem.emulator.urc('+CMT: "+447700900123",,"26/12/06,08:00:00+00",145,4,0,0,"+447785016005",145,4294967295', 'short');
      await eventually(() => urcs.some((urc) => textOf(urc) === 'short'), 5000, 'the damaged +CMT handed on');
      assert.equal((await rig.channel.send('AT+CSQ')).lines.length, 1, 'not wedged');
    } finally {
      await rig.close();
    }
  });
});

/**
 * Each scriptable fault of the emulator, per profile, over a real pty: the driver reports a clear state and
 * recovers once the fault is gone, without a crash loop.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, hasErrorCode } from '../../src/errors.js';
import { listProfiles } from '../../src/modem/index.js';
import { eventually, openRig } from '../fakes/modemE2e.js';

for (const name of listProfiles()) {
  describe(`fault recovery over a pty: ${name}`, () => {
    it('no SIM: a clear sim-missing state, slow SIM checks only, ready once a SIM is there', async () => {
      const rig = await openRig(name, { faults: ['no-sim'] });
      try {
        const status = await rig.driver.start({ recover: false });
        assert.equal(status.phase, 'sim-missing');
        await assert.rejects(rig.driver.sendSms({ to: '+27821234567', text: 'x' }), (e: unknown) => hasErrorCode(e, ErrorCode.Modem_SimNotReady));
        const before = rig.modem.emulator.commands.length;
        await new Promise((resolve) => setTimeout(resolve, 1700));
        const polled = rig.modem.emulator.commands.slice(before);
        assert.ok(polled.length <= 2 && polled.every((c) => c === 'AT+CPIN?'), `only SIM checks while missing, got ${polled.join(', ')}`);
        rig.modem.emulator.setFault('no-sim', false);
        await eventually(() => rig.driver.status.phase === 'ready', 6000, 'ready after SIM inserted');
      } finally {
        await rig.close();
      }
    });

    it('SIM PIN: unlocked with the configured PIN, a clear state without one', async () => {
      const withPin = await openRig(name, { faults: ['sim-pin'], pin: '1234' });
      try {
        assert.equal((await withPin.driver.start({ recover: false, health: false })).phase, 'ready');
        assert.ok(withPin.modem.emulator.commands.includes('AT+CPIN="1234"'));
      } finally {
        await withPin.close();
      }
      const without = await openRig(name, { faults: ['sim-pin'] });
      try {
        assert.equal((await without.driver.start({ recover: false, health: false })).phase, 'sim-pin-required');
        assert.ok(!without.modem.emulator.commands.some((c) => c.startsWith('AT+CPIN=')), 'never guesses a PIN');
      } finally {
        await without.close();
      }
    });

    it('no network: send fails with +CMS ERROR 500, succeeds once registered again', async () => {
      const rig = await openRig(name, { faults: ['no-network'] });
      try {
        await rig.driver.start({ recover: false, health: false });
        assert.equal(rig.driver.registered, false);
        await assert.rejects(rig.driver.sendSms({ to: '+27821234567', text: 'x' }), (e: unknown) => hasErrorCode(e, ErrorCode.Modem_CmsError) && e.context['cms'] === 500);
        rig.modem.emulator.setFault('no-network', false);
        await rig.driver.readRegistration();
        assert.equal(rig.driver.registered, true);
        assert.equal((await rig.driver.sendSms({ to: '+27821234567', text: 'x' })).references.length, 1);
      } finally {
        await rig.close();
      }
    });

    it('network lost during send: +CMS ERROR 500 and registration URCs, then the resend goes through', async () => {
      const rig = await openRig(name, { faults: ['network-lost-during-send'] });
      try {
        await rig.driver.start({ recover: false, health: false });
        await assert.rejects(rig.driver.sendSms({ to: '+27821234567', text: 'first try' }), (e: unknown) => hasErrorCode(e, ErrorCode.Modem_CmsError) && e.context['cms'] === 500);
        await eventually(() => rig.driver.registered, 3000, 'registered again (URC)');
        assert.equal((await rig.driver.sendSms({ to: '+27821234567', text: 'second try' })).references.length, 1);
      } finally {
        await rig.close();
      }
    });

    it('hang: polls fail, re-init and reset are tried, and the driver is ready again when the modem answers', async () => {
      const rig = await openRig(name);
      try {
        await rig.driver.start({ recover: false });
        rig.modem.emulator.setFault('hang', true);
        await eventually(() => rig.driver.status.phase !== 'ready', 6000, 'hang noticed');
        await eventually(() => rig.driver.status.phase === 'resetting', 12000, 'reset tried');
        rig.modem.emulator.setFault('hang', false);
        await eventually(() => rig.driver.status.phase === 'ready', 12000, 'ready again');
        assert.ok(rig.modem.emulator.commands.length > 0);
        assert.equal((await rig.driver.sendSms({ to: '+27821234567', text: 'after hang' })).references.length, 1);
      } finally {
        await rig.close();
      }
    });

    it('garbage bytes on the line: init, send and receive still work', async () => {
      const rig = await openRig(name, { faults: ['garbage'] });
      try {
        assert.equal((await rig.driver.start({ recover: false, health: false })).phase, 'ready');
        assert.equal((await rig.driver.sendSms({ to: '+27821234567', text: 'through the noise' })).references.length, 1);
        rig.modem.emulator.receive({ from: '+27829999999', text: 'noisy line' });
        await eventually(() => rig.messages.length === 1, 5000, 'message');
        assert.equal(rig.messages[0]?.text, 'noisy line');
      } finally {
        await rig.close();
      }
    });

    it('reboot: settings lost, the driver notices and initialises again', async () => {
      const rig = await openRig(name);
      try {
        await rig.driver.start({ recover: false });
        const inits = (): number => rig.modem.emulator.commands.filter((c) => c === 'ATE0').length;
        assert.equal(inits(), 1);
        rig.modem.emulator.reboot();
        await eventually(() => inits() === 2 && rig.driver.status.phase === 'ready', 8000, 're-init after reboot');
        assert.equal(rig.modem.emulator.state.echo, false);
        assert.equal(rig.modem.emulator.state.cmgf, 0);
        rig.modem.emulator.receive({ from: '+27829999999', text: 'after reboot' });
        await eventually(() => rig.messages.length === 1, 5000, 'message after reboot');
      } finally {
        await rig.close();
      }
    });
  });
}

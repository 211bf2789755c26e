/**
 * Health and recovery with injected time (no sleeping): a modem that stops answering is re-initialised,
 * then reset with the profile's command, with exponential back-off between rounds; a SIM problem is only
 * re-checked at the poll interval.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import { AtChannel, ModemDriver, loadProfile, smsPduCodec, type ModemProfile } from '../../../src/modem/index.js';
import { ManualClock } from '../../fakes/manualClock.js';

/** A modem on a stream: answers a small 27.007 command set while `alive`, nothing when not. */
class ScriptedModem extends Duplex {
  alive = true;
  sim: 'ready' | 'absent' = 'ready';
  readonly written: string[] = [];

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    for (const command of chunk.toString('latin1').split('\r').filter((c) => c !== '')) {
      this.written.push(command);
      if (this.alive) this.push(Buffer.from(this.answer(command), 'latin1'));
    }
    done();
  }

  private answer(command: string): string {
    if (command === 'AT+CPIN?') return this.sim === 'ready' ? '\r\n+CPIN: READY\r\n\r\nOK\r\n' : '\r\n+CME ERROR: 10\r\n';
    if (command.startsWith('AT+CPMS=')) return '\r\n+CPMS: 0,30,0,30,0,30\r\n\r\nOK\r\n';
    if (/^AT\+C(E|G)?REG\?$/.test(command)) return `\r\n${command.slice(2, -1)}: 0,1\r\n\r\nOK\r\n`;
    return '\r\nOK\r\n';
  }
}

function profile(): ModemProfile {
  const base = loadProfile('generic-3gpp');
  return {
    ...base,
    timeouts: { ...base.timeouts, commandMs: 1000 },
    health: { pollIntervalMs: 10_000, failuresBeforeReinit: 2, reinitsBeforeReset: 1, backoffInitialMs: 1000, backoffMaxMs: 4000 },
    reset: { command: 'AT+CFUN=1,1', bootWaitMs: 20_000 },
  };
}

async function advance(clock: ManualClock, ms: number, step = 100): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(step);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('ModemDriver health and recovery (manual clock)', () => {
  it('re-inits after failed polls, then sends the reset command, then recovers when the modem answers again', async () => {
    const clock = new ManualClock();
    const modem = new ScriptedModem();
    const channel = new AtChannel(modem, { clock, timeoutMs: 1000 });
    const driver = new ModemDriver({ channel, profile: profile(), codec: smsPduCodec, clock });
    const phases: string[] = [];
    driver.onStatus((s) => {
      if (phases.at(-1) !== s.phase) phases.push(s.phase);
    });
    const started = driver.start();
    await advance(clock, 500);
    assert.equal((await started).phase, 'ready');
    modem.alive = false;
    // Two failed polls (10 s apart, 1 s timeout each) → recovery; a failed re-init (3 × AT), a second one, then the reset.
    await advance(clock, 40_000);
    assert.ok(phases.includes('recovering'), phases.join(' → '));
    assert.ok(modem.written.includes('AT+CFUN=1,1'), 'reset command sent');
    assert.ok(phases.includes('resetting'));
    const resetAt = modem.written.lastIndexOf('AT+CFUN=1,1');
    modem.alive = true;
    await advance(clock, 30_000);
    assert.equal(driver.status.phase, 'ready', phases.join(' → '));
    assert.ok(modem.written.slice(resetAt).includes('ATE0'), 'init ran again after the reset');
    await driver.stop();
    channel.close();
    assert.equal(clock.pending, 0, 'every timer cleaned up');
  });

  it('a missing SIM is a phase, checked once per poll interval, never a re-init loop', async () => {
    const clock = new ManualClock();
    const modem = new ScriptedModem();
    modem.sim = 'absent';
    const channel = new AtChannel(modem, { clock, timeoutMs: 1000 });
    const driver = new ModemDriver({ channel, profile: profile(), codec: smsPduCodec, clock });
    const started = driver.start();
    await advance(clock, 500);
    assert.equal((await started).phase, 'sim-missing');
    const before = modem.written.length;
    await advance(clock, 60_000);
    const during = modem.written.slice(before);
    assert.deepEqual([...new Set(during)], ['AT+CPIN?']);
    assert.ok(during.length <= 6, `polled ${during.length} times in 60 s`);
    modem.sim = 'ready';
    await advance(clock, 11_000);
    assert.equal(driver.status.phase, 'ready');
    await driver.stop();
    channel.close();
    assert.equal(clock.pending, 0);
  });
});

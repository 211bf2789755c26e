import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CommandGuard, type GuardState } from '../../../src/agent/commandGuard.js';
import { CommandAuthority, type AuthorityState } from '../../../src/agent/commandAuthority.js';
import { redactCommandText } from '../../../src/agent/smsCommands.js';
import { signCommand } from '../../../src/agent/signedCommands.js';

const policy = { maxFailures: 3, lockoutMs: 60_000, lockoutMaxMs: 600_000, globalMaxFailures: 10, globalLockoutMs: 3_600_000 };

describe('SMS command lockouts', () => {
  it('lock a sender out after three failures, doubling each time up to the longest', () => {
    let now = 1_000_000;
    const saved: GuardState[] = [];
    const guard = new CommandGuard({ ...policy, globalMaxFailures: 1000 }, undefined, (state) => saved.push(state), () => now);
    const lockFor = (): number => {
      assert.deepEqual(guard.fail('a'), []);
      assert.deepEqual(guard.fail('a'), []);
      const [lockout] = guard.fail('a');
      assert.equal(lockout?.scope, 'sender');
      return (lockout?.until ?? 0) - now;
    };
    const durations: number[] = [];
    for (let round = 0; round < 6; round++) {
      durations.push(lockFor());
      assert.ok(guard.lockedOut('a') !== undefined);
      now += durations.at(-1) ?? 0;
      assert.equal(guard.lockedOut('a'), undefined, 'over when its time is up');
    }
    assert.deepEqual(durations, [60_000, 120_000, 240_000, 480_000, 600_000, 600_000]);
    assert.equal(saved.length, 6, 'written once per lockout, not per failure');
    guard.succeed('a');
    assert.deepEqual(guard.state().senders, {}, 'a success clears the record');
    assert.equal(lockFor(), 60_000, 'and the back-off starts again');
  });

  it('lock everyone out when failures from many senders reach the global limit, and restore from saved state', () => {
    let now = 5_000_000;
    let saved: GuardState | undefined;
    const guard = new CommandGuard(policy, undefined, (state) => (saved = state), () => now);
    for (let i = 0; i < 9; i++) assert.deepEqual(guard.fail(`s${i}`), []);
    const began = guard.fail('s9');
    assert.deepEqual(began.map((lockout) => lockout.scope), ['global']);
    assert.equal(guard.lockedOut('never-failed')?.scope, 'global');
    const restored = new CommandGuard(policy, saved, () => undefined, () => now);
    assert.equal(restored.lockedOut('never-failed')?.scope, 'global', 'survives a restart');
    now += policy.globalLockoutMs;
    assert.equal(restored.lockedOut('never-failed'), undefined);
  });

  it('the authority refuses the right PIN during a lockout and obeys a signed command, counting nothing twice', () => {
    let now = Date.UTC(2026, 0, 1);
    const states: AuthorityState[] = [];
    const key = '0123456789abcdef0123';
    const authority = new CommandAuthority({ allow: ['+447700900123'], pin: '2468', unsigned: true, lockout: policy, signing: { key, deviceId: 'pi-1', maxAgeMs: 86_400_000 } },
      undefined, (state) => states.push(state), () => now);
    const from = '+447700900123';
    for (const guess of ['0000', '1111', '2222']) assert.equal(authority.judge(from, `PIN ${guess} PING`).kind, 'refused');
    assert.deepEqual(authority.judge(from, 'PIN 2468 PING'), { kind: 'refused', reason: 'locked-out', lockouts: [] });
    const signed = signCommand({ key, deviceId: 'pi-1', text: 'status', counter: now / 1000 });
    assert.deepEqual(authority.judge(from, signed), { kind: 'command', name: 'STATUS', args: [], signed: true });
    assert.equal(states.at(-1)?.lastCounter, now / 1000, 'the counter is kept');
    now += 1000;
    assert.equal(authority.judge('+447700900999', 'PIN 2468 PING').kind, 'refused', 'a stranger, whatever the PIN');
    assert.equal(authority.judge(from, 'hello there').kind, 'message');
  });

  it('redacts PINs and signatures from any text, command or not', () => {
    assert.equal(redactCommandText('PIN 2468 PING'), 'PIN [redacted] PING');
    assert.equal(redactCommandText('  pin 2468 PIGN'), '  pin [redacted] PIGN');
    assert.equal(redactCommandText('S 1767225600 Jq3Wk0b8vN1x+/Zs REPORT alarm'), 'S 1767225600 [redacted] REPORT alarm');
    assert.equal(redactCommandText('Spin 2468 is not a PIN'), 'Spin 2468 is not a PIN');
  });
});

/**
 * PIN guessing by SMS is stopped: a real agent bound to the SMSC simulator receives thousands of
 * guesses as deliver_sm. After three failures the sender is locked out; the right PIN from that
 * sender is then refused; a guess spread over several allowed numbers trips the global limit; the
 * lockouts are published as events and shown in /state and `status`, never with the PIN; and they
 * hold across a restart of the agent. A stranger's SMS with the right PIN is stored and never obeyed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { callApi, until } from '../helpers/agentProcess.js';
import { runCli } from '../helpers/cli.js';
import { deviceId, refusals, startCommandRig } from '../helpers/commandRig.js';

const pin = '73905162'; // eight digits: no timestamp or pid in a log line contains it by chance
const guesser = '447700900123';
const others = ['447700900201', '447700900202', '447700900203', '447700900204'];
const bystander = '447700900299';
const stranger = '447700900666';
const guesses = 2000;

interface StateWithCommands {
  readonly commands?: { readonly lockouts: ReadonlyArray<{ sender: string; until: string }>; readonly globalUntil: string | null };
}

describe('SMS command PIN guessing', () => {
  it('locks a guessing sender out, refuses even the right PIN during the lockout, stops a distributed guess, and remembers it across a restart', async () => {
    const allow = [guesser, ...others, bystander].map((number) => `"+${number}"`).join(', ');
    const rig = await startCommandRig(`{ allow: [${allow}], pin: "${pin}", maxFailures: 3, lockoutS: 3600, globalMaxFailures: 10, globalLockoutS: 3600 }`);
    const inject = (from: string, text: string): Promise<number> => rig.sim.injectMo({ source_addr: from, destination_addr: 'EDGE', text });
    try {
      await rig.startAgent();

      // A stranger's SMS, right PIN and all, is stored in the inbox and never obeyed (nor counted: a stranger
      // cannot lock anyone out).
      await inject(stranger, `PIN ${pin} PING`);
      await until(() => refusals(rig.agent.logs, 'sender-not-allowed').length === 1, 10_000, 'the stranger refused');
      const db = new Database(join(rig.dir, 'agent.db'), { readonly: true, fileMustExist: true });
      try {
        const rows = db.prepare('SELECT payload FROM inbox WHERE sender = ?').all(stranger) as Array<{ payload: Buffer | string }>;
        assert.deepEqual(rows.map((row) => String(row.payload)), [`PIN ${pin} PING`]);
      } finally {
        db.close();
      }

      // The right PIN works before anyone guesses: what is refused later is refused for the lockout.
      await inject(guesser, `PIN ${pin} PING`);
      await until(() => rig.repliesTo(guesser).some((text) => text.startsWith('PONG')), 10_000, 'the PONG reply');
      assert.deepEqual(rig.repliesTo(stranger), [], 'no reply to the stranger');

      for (let n = 0; n < guesses; n++) await inject(guesser, `PIN ${String(n).padStart(8, '0')} STATUS`);
      await until(() => refusals(rig.agent.logs, 'bad-pin').length + refusals(rig.agent.logs, 'locked-out').length >= guesses, 60_000, 'every guess judged');
      assert.equal(refusals(rig.agent.logs, 'bad-pin').length, 3, 'three failures, then the lockout: the rest are not even compared');
      const lockout = await rig.probe.waitForTopic(`edge-sms/${deviceId}/events/command-lockout`, (text) => text.includes(guesser), 5000);
      assert.equal((JSON.parse(lockout.text) as { scope: string }).scope, 'sender');
      assert.ok(!lockout.text.includes(pin));

      // The right PIN from the locked-out sender is refused, and nothing is sent back.
      const lockedBefore = refusals(rig.agent.logs, 'locked-out').length;
      await inject(guesser, `PIN ${pin} REPORT`);
      await until(() => refusals(rig.agent.logs, 'locked-out').length > lockedBefore, 10_000, 'the right PIN refused');
      assert.deepEqual(rig.repliesTo(guesser).filter((text) => !text.startsWith('PONG')), [], 'no reply to a locked-out sender');
      assert.equal(rig.agent.logs.filter((entry) => entry.msg === 'SMS command').length, 1, 'only the first PING was obeyed');

      const state = JSON.parse((await callApi(rig.api, 'GET', '/state')).text) as StateWithCommands;
      assert.deepEqual(state.commands?.lockouts.map((entry) => entry.sender), [guesser]);
      const status = await runCli(['status', '--config', rig.agent.configFile, '--json']);
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, new RegExp(`"sender":"${guesser}"`));

      // A distributed guess: two wrong PINs from each of four other allowed numbers trips the global limit
      // (3 + 8 failures > 10); then even a number that never guessed cannot command with the right PIN.
      for (const from of others) for (const wrong of ['11111111', '22222222']) await inject(from, `PIN ${wrong} PING`);
      const global = await rig.probe.waitForTopic(`edge-sms/${deviceId}/events/command-lockout`, (text) => text.includes('"global"'), 10_000);
      assert.ok(!global.text.includes(pin));
      const globalBefore = refusals(rig.agent.logs, 'locked-out').length;
      await inject(bystander, `PIN ${pin} PING`);
      await until(() => refusals(rig.agent.logs, 'locked-out').length > globalBefore, 10_000, 'the bystander refused by the global lockout');
      assert.deepEqual(rig.repliesTo(bystander), []);

      // No published byte, no log line carries the PIN (the sms-received events show it redacted).
      const published = rig.probe.messages.map((message) => message.text).join('\n');
      assert.ok(published.includes('PIN [redacted] PING'), 'sms-received events are published, redacted');
      assert.ok(!published.includes(pin), 'the PIN is never published');
      assert.ok(!JSON.stringify(rig.agent.logs).includes(pin), 'the PIN is never logged');

      // After a restart the lockouts still hold.
      assert.equal((await rig.agent.kill('SIGTERM')).code, 0);
      const restartedAt = rig.agent.logs.length;
      await rig.startAgent();
      const after = JSON.parse((await callApi(rig.api, 'GET', '/state')).text) as StateWithCommands;
      assert.deepEqual(after.commands?.lockouts.map((entry) => entry.sender), [guesser]);
      assert.notEqual(after.commands?.globalUntil ?? null, null);
      await inject(guesser, `PIN ${pin} LOCATE`);
      await until(() => refusals(rig.agent.logs.slice(restartedAt), 'locked-out').length > 0, 10_000, 'the right PIN refused after the restart');
      assert.equal(rig.agent.logs.slice(restartedAt).filter((entry) => entry.msg === 'SMS command').length, 0);
    } finally {
      await rig.close();
    }
  });
});

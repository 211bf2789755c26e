/**
 * Signed SMS commands: with `commands.keyFile` and `commands.unsigned: false`, a real agent obeys a
 * command signed by `edge-sms-agent sign-command` once; the same SMS again (a capture replayed) is
 * refused, as are a PIN command, a signature for another device or made with another key, and an old
 * counter. Failures lock the sender out of unsigned commands, but a new signed command is still
 * obeyed: a 96-bit MAC cannot be guessed, so a lockout must not stop the operator. A stranger's
 * correctly signed SMS is stored in the inbox and never obeyed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { until } from '../helpers/agentProcess.js';
import { runCli } from '../helpers/cli.js';
import { deviceId, refusals, startCommandRig } from '../helpers/commandRig.js';
import { signCommand } from '../../src/index.js';

const operator = '447700900123';
const stranger = '447700900666';
const key = 'k3y-for-pi-guard-0123456789abcdef';

describe('signed SMS commands', () => {
  it('obeys a signed command once, refuses replays, PINs, other keys and devices and old counters, and never a stranger', async () => {
    const rig = await startCommandRig(`{ allow: ["+${operator}"], keyFile: "KEYFILE", unsigned: false, maxFailures: 3, lockoutS: 3600 }`);
    const inject = (from: string, text: string): Promise<number> => rig.sim.injectMo({ source_addr: from, destination_addr: 'EDGE', text });
    const now = Math.floor(Date.now() / 1000);
    try {
      // The key file the agent reads, and the one the centre signs with.
      const keyFile = join(rig.dir, 'command.key');
      writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
      writeFileSync(rig.agent.configFile, readFileSync(rig.agent.configFile, 'utf8').replace('KEYFILE', keyFile));
      await rig.startAgent();

      // A signature made long ago (commands.signedMaxAgeS, a day) is refused even on a fresh device.
      await inject(operator, signCommand({ key, deviceId, text: 'REPORT', counter: now - 3 * 86400 }));
      await until(() => refusals(rig.agent.logs, 'stale-signature').length === 1, 10_000, 'an old counter refused');

      const signed = await runCli(['sign-command', '--key-file', keyFile, '--device', deviceId, '--counter', String(now - 10), 'PING']);
      assert.equal(signed.code, 0, signed.stderr);
      const text = signed.stdout.trim();
      assert.match(text, new RegExp(`^S ${now - 10} [A-Za-z0-9+/]{16} PING$`));
      assert.ok(text.length <= 160, 'one SMS');
      await inject(operator, text);
      await until(() => rig.repliesTo(operator).some((reply) => reply.startsWith('PONG')), 10_000, 'the PONG reply');

      // The same command again, as an attacker who captured it would send it (here with the command
      // word in lower case, so the inbox does not simply drop it as a duplicate): refused.
      await inject(operator, text.replace(/PING$/, 'ping'));
      await until(() => refusals(rig.agent.logs, 'replayed').length === 1, 10_000, 'the replay refused');
      await inject(operator, 'PING');
      await until(() => refusals(rig.agent.logs, 'unsigned-refused').length === 1, 10_000, 'the unsigned command refused');
      await inject(operator, signCommand({ key, deviceId: 'pi-other', text: 'STATUS', counter: now - 9 }));
      await until(() => refusals(rig.agent.logs, 'bad-signature').length === 1, 10_000, 'a signature for another device refused');
      await inject(operator, signCommand({ key: 'another-key-0123456789', deviceId, text: 'LOCATE', counter: now - 8 }));
      await until(() => refusals(rig.agent.logs, 'bad-signature').length === 2, 10_000, 'a signature with another key refused');
      await rig.probe.waitForTopic(`edge-sms/${deviceId}/events/command-lockout`, (text) => text.includes(operator), 10_000);
      assert.deepEqual(rig.repliesTo(operator).filter((reply) => !reply.startsWith('PONG')), []);

      // Locked out, yet a new signed command is obeyed.
      await inject(operator, signCommand({ key, deviceId, text: 'STATUS', counter: now - 5 }));
      await until(() => rig.repliesTo(operator).some((reply) => reply.startsWith('SMPP ')), 10_000, 'the STATUS reply');

      // A stranger's correctly signed command is stored, never obeyed.
      const fromStranger = signCommand({ key, deviceId, text: 'PING', counter: now - 2 });
      await inject(stranger, fromStranger);
      await until(() => refusals(rig.agent.logs, 'sender-not-allowed').length === 1, 10_000, 'the stranger refused');
      const db = new Database(join(rig.dir, 'agent.db'), { readonly: true, fileMustExist: true });
      try {
        const stored = db.prepare('SELECT sender, payload FROM inbox WHERE sender = ?').all(stranger) as Array<{ sender: string; payload: Buffer | string }>;
        assert.deepEqual(stored.map((row) => String(row.payload)), [fromStranger]);
      } finally {
        db.close();
      }
      assert.deepEqual(rig.repliesTo(stranger), []);
      assert.equal(rig.agent.logs.filter((entry) => entry.msg === 'SMS command').length, 2, 'PING and STATUS only');

      // Signatures never leave: the sms-received events and the logs show them redacted.
      const published = rig.probe.messages.map((message) => message.text).join('\n');
      assert.ok(published.includes(`S ${now - 10} [redacted] PING`), 'sms-received shows the command, not its MAC');
      const mac = text.split(' ')[2] ?? '';
      assert.ok(!published.includes(mac) && !JSON.stringify(rig.agent.logs).includes(mac), 'the MAC is never published or logged');
    } finally {
      await rig.close();
    }
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandMac, macMatches, signCommand } from '../../../src/agent/signedCommands.js';
import { parseSmsCommand } from '../../../src/agent/smsCommands.js';
import { runCli } from '../../helpers/cli.js';

const key = 'a-device-key-of-32-characters!!!';

describe('signed commands', () => {
  it('sign the canonical command: one SMS, GSM-7-safe, verifiable, bound to device, counter and text', () => {
    const text = signCommand({ key, deviceId: 'pi-0042', text: '  report   alarm ', counter: 1767225600 });
    assert.match(text, /^S 1767225600 [A-Za-z0-9+/]{16} REPORT alarm$/);
    assert.ok(text.length <= 60, text);
    const parsed = parseSmsCommand(text);
    assert.ok(parsed?.credential.kind === 'signed');
    const { counter, mac } = parsed.credential;
    assert.ok(macMatches(key, 'pi-0042', counter, 'REPORT alarm', mac));
    assert.ok(!macMatches(key, 'pi-0043', counter, 'REPORT alarm', mac));
    assert.ok(!macMatches(key, 'pi-0042', counter + 1, 'REPORT alarm', mac));
    assert.ok(!macMatches(key, 'pi-0042', counter, 'REPORT telemetry', mac));
    assert.ok(!macMatches(`${key}x`, 'pi-0042', counter, 'REPORT alarm', mac));
    // The known answer of docs/signed-commands.md, also what `openssl dgst -sha256 -hmac` gives there.
    assert.equal(commandMac('0123456789abcdef', 'pi-0042', 1767225600, 'PING'), 'CCkiS4XqiuuS6nw6');
  });

  it('refuse what is not a command, a PIN inside, a short key, a bad counter', () => {
    assert.throws(() => signCommand({ key, deviceId: 'pi', text: 'hello' }), /not a command to sign/);
    assert.throws(() => signCommand({ key, deviceId: 'pi', text: 'PIN 1234 PING' }), /not a command to sign/);
    assert.throws(() => signCommand({ key: 'short', deviceId: 'pi', text: 'PING' }), /at least 16 characters, got 5/);
    assert.throws(() => signCommand({ key, deviceId: 'pi', text: 'PING', counter: 0 }), /counter must be/);
  });

  it('sign-command prints the SMS text from a key file, and says what is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-sign-'));
    try {
      const file = join(dir, 'pi.key');
      writeFileSync(file, `${key}\n`, { mode: 0o600 });
      const ok = await runCli(['sign-command', '--key-file', file, '--device', 'pi-0042', '--counter', '1767225600', 'REPORT', 'alarm']);
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(ok.stdout, `${signCommand({ key, deviceId: 'pi-0042', text: 'REPORT alarm', counter: 1767225600 })}\n`);
      const noDevice = await runCli(['sign-command', '--key-file', file, 'PING']);
      assert.notEqual(noDevice.code, 0);
      assert.match(noDevice.stderr, /--device is required/);
      const noFile = await runCli(['sign-command', '--key-file', join(dir, 'missing'), '--device', 'pi', 'PING']);
      assert.match(noFile.stderr, /cannot read the command key file/);
      assert.ok(!noFile.stderr.includes(key) && !ok.stderr.includes(key));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

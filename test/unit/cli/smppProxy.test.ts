/** `smpp proxy` refuses what it cannot do before listening: usage errors name the option. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseListenAddress } from '../../../src/cli/smppProxy.js';
import { runCli } from '../../helpers/cli.js';

describe('smpp proxy options', () => {
  it('reads [HOST:]PORT', () => {
    assert.deepEqual(parseListenAddress('2775'), { host: '127.0.0.1', port: 2775 });
    assert.deepEqual(parseListenAddress('0.0.0.0:0'), { host: '0.0.0.0', port: 0 });
    assert.deepEqual(parseListenAddress('[::1]:2775'), { host: '::1', port: 2775 });
    assert.throws(() => parseListenAddress('host:99999'), /--listen must be \[HOST:\]PORT/);
  });

  it('refuses a missing option, an account in --upstream and an unknown option', async () => {
    const missing = await runCli(['smpp', 'proxy', '--upstream', 'smpp://127.0.0.1:2775']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--listen is required/);
    const account = await runCli(['smpp', 'proxy', '--listen', '0', '--upstream', 'smpp://esme:secret@127.0.0.1:2775']);
    assert.equal(account.code, 1);
    assert.match(account.stderr, /the proxy does not bind/);
    assert.ok(!account.stderr.includes('secret'));
    const unknown = await runCli(['smpp', 'proxy', '--listen', '0', '--upstream', 'smpp://127.0.0.1:2775', '--bogus']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown option --bogus/);
  });

  it('says how it is used', async () => {
    const help = await runCli(['smpp', 'proxy', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--pcap FILE/);
  });
});

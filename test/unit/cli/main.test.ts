import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCli } from '../../helpers/cli.js';
import { agentVersion } from '../../../src/version.js';

describe('cli main', () => {
  it('lists commands on --help and exits 0', async () => {
    const result = await runCli(['--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Commands:/);
    assert.match(result.stdout, /version/);
  });

  it("shows a command's usage on COMMAND --help", async () => {
    const result = await runCli(['decode-report', '--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^edge-sms-agent decode-report/);
  });

  it('rejects an unknown command with exit 2 and a hint', async () => {
    const result = await runCli(['frobnicate']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown command 'frobnicate'/);
  });

  it('exits 2 on an unknown option, naming it', async () => {
    const result = await runCli(['decode-report', '--bogus']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--bogus/);
  });

  it('reports the version that package.json declares', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(agentVersion, pkg.version);
    const result = await runCli(['version']);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, `${pkg.version}\n`);
  });
});

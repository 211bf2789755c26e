import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli/main.js';
import { agentVersion } from '../../../src/version.js';

function capture(): { io: { stdout: PassThrough; stderr: PassThrough }; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: '', err: '' };
  stdout.on('data', (c: Buffer) => (chunks.out += c.toString()));
  stderr.on('data', (c: Buffer) => (chunks.err += c.toString()));
  return { io: { stdout, stderr }, out: () => chunks.out, err: () => chunks.err };
}

describe('cli main', () => {
  it('lists commands on --help and exits 0', async () => {
    const c = capture();
    assert.equal(await main(['--help'], c.io), 0);
    assert.match(c.out(), /Commands:/);
    assert.match(c.out(), /version/);
  });

  it('rejects an unknown command with exit 2 and a hint', async () => {
    const c = capture();
    assert.equal(await main(['frobnicate'], c.io), 2);
    assert.match(c.err(), /unknown command 'frobnicate'/);
  });

  it('reports the version that package.json declares', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(agentVersion, pkg.version);
    const c = capture();
    assert.equal(await main(['version'], c.io), 0);
    assert.equal(c.out(), `${pkg.version}\n`);
  });
});

/** The LAN door's token file and listen address are checked at start, with the key named and the token never shown. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLanListen, readToken } from '../../../../src/agent/console/lanServer.js';
import { contentSecurityPolicy } from '../../../../src/agent/console/assetRoutes.js';
import { isAgentError } from '../../../../src/errors.js';

describe('console LAN options', () => {
  it('reads a token of 16+ characters and refuses a short, spaced or missing one without echoing it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-token-'));
    try {
      writeFileSync(join(dir, 'good'), 'abcdefghijklmnop1234\n');
      assert.equal(readToken(join(dir, 'good')), 'abcdefghijklmnop1234');
      writeFileSync(join(dir, 'short'), 'short-secret');
      writeFileSync(join(dir, 'spaced'), 'abcdefgh ijklmnop1234');
      for (const file of ['short', 'spaced', 'missing']) {
        assert.throws(() => readToken(join(dir, file)), (error: unknown) => isAgentError(error) && error.message.startsWith('console.lan.tokenFile:') && !error.message.includes('secret') && !error.message.includes('ijklmnop'));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses ADDRESS:PORT, IPv6 included', () => {
    assert.deepEqual(parseLanListen('0.0.0.0:8443'), { host: '0.0.0.0', port: 8443 });
    assert.deepEqual(parseLanListen('[::]:8443'), { host: '::', port: 8443 });
    assert.throws(() => parseLanListen('0.0.0.0:70000'), /console\.lan\.listen/);
  });

  it('lets the page load tiles from the configured host only', () => {
    assert.doesNotMatch(contentSecurityPolicy(undefined), /https?:/);
    assert.match(contentSecurityPolicy('https://tiles.example.net/{z}/{x}/{y}.png'), /img-src 'self' data: https:\/\/tiles\.example\.net;/);
  });
});

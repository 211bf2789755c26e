import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openPtyPair } from '../../../src/sim/modem/index.js';
import { AgentError, ErrorCode } from '../../../src/errors.js';

describe('openPtyPair without socat', () => {
  it('fails loudly, naming socat and how to install it', async () => {
    const path = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    try {
      await assert.rejects(openPtyPair('/tmp/never-created-tty', 115200), (e: unknown) => {
        assert.ok(e instanceof AgentError);
        assert.equal(e.code, ErrorCode.Modem_PortOpenFailed);
        assert.match(e.message, /socat is not installed.*apt-get install socat/);
        return true;
      });
    } finally {
      process.env['PATH'] = path;
    }
  });
});

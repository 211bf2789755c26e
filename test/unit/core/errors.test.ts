import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AgentError, ErrorCode, errorCodeName, hasErrorCode, isErrorInRange } from '../../../src/errors.js';

describe('AgentError', () => {
  it('carries a code, its name and context, and keeps the cause', () => {
    const cause = new Error('socket hang up');
    const error = new AgentError('no response', ErrorCode.Smpp_ResponseTimeout, { sequenceNumber: 7 }, { cause });
    assert.equal(error.code, 202);
    assert.equal(errorCodeName(error.code), 'Smpp_ResponseTimeout');
    assert.equal(error.describe(), 'Smpp_ResponseTimeout (202): no response');
    assert.deepEqual(error.context, { sequenceNumber: 7 });
    assert.equal(error.cause, cause);
    assert.deepEqual(error.toJSON(), {
      name: 'AgentError',
      code: 202,
      codeName: 'Smpp_ResponseTimeout',
      message: 'no response',
      context: { sequenceNumber: 7 },
    });
  });

  it('is narrowed by code and by part range, never by message', () => {
    const error = new AgentError('x', ErrorCode.Codec_Truncated);
    assert.ok(hasErrorCode(error, ErrorCode.Codec_Truncated));
    assert.ok(!hasErrorCode(error, ErrorCode.Codec_InvalidCommandId));
    assert.ok(isErrorInRange(error, 100));
    assert.ok(!isErrorInRange(error, 200));
    assert.ok(!isErrorInRange(new Error('plain'), 100));
  });

  it('has unique codes, each inside the range its prefix names', () => {
    const ranges: Record<string, number> = { Codec: 100, Smpp: 200, Modem: 300, Store: 400, Mqtt: 500, Config: 600, Report: 700, Cli: 800, Security: 900 };
    const seen = new Set<number>();
    for (const [name, code] of Object.entries(ErrorCode)) {
      assert.ok(!seen.has(code), `duplicate code ${code}`);
      seen.add(code);
      const start = ranges[name.split('_')[0] ?? ''];
      assert.ok(start !== undefined, `${name} has no known prefix`);
      assert.ok(code >= start && code < start + 100, `${name}=${code} outside ${start}..${start + 99}`);
    }
  });
});

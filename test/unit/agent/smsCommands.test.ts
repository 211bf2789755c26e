import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { interpretSms, normaliseNumber } from '../../../src/agent/smsCommands.js';

const policy = { allow: ['+447700900123', '0049 151 2345678'], pin: '4321' };

describe('inbound SMS commands', () => {
  it('obeys an allowed sender with the PIN, any case, with arguments', () => {
    assert.deepEqual(interpretSms('+447700900123', 'PIN 4321 STATUS', policy), { kind: 'command', name: 'STATUS', args: [] });
    assert.deepEqual(interpretSms('447700900123', 'pin 4321 report alarm', policy), { kind: 'command', name: 'REPORT', args: ['alarm'] });
    assert.deepEqual(interpretSms('+491512345678', '  PIN 4321   locate  ', policy), { kind: 'command', name: 'LOCATE', args: [] });
  });

  it('refuses strangers and wrong or missing PINs without telling them which', () => {
    assert.deepEqual(interpretSms('+447700900999', 'PIN 4321 STATUS', policy), { kind: 'refused', reason: 'sender-not-allowed' });
    assert.deepEqual(interpretSms('+447700900123', 'PIN 1111 STATUS', policy), { kind: 'refused', reason: 'bad-pin' });
    assert.deepEqual(interpretSms('+447700900123', 'PIN 43210 STATUS', policy), { kind: 'refused', reason: 'bad-pin' });
    assert.deepEqual(interpretSms('+447700900123', 'STATUS', policy), { kind: 'refused', reason: 'pin-required' });
  });

  it('needs no PIN when none is configured, but still the allow-list', () => {
    assert.deepEqual(interpretSms('+447700900123', 'ping', { allow: ['+447700900123'] }), { kind: 'command', name: 'PING', args: [] });
    assert.deepEqual(interpretSms('+447700900124', 'ping', { allow: ['+447700900123'] }), { kind: 'refused', reason: 'sender-not-allowed' });
    assert.deepEqual(interpretSms('+447700900123', 'ping', { allow: [] }), { kind: 'refused', reason: 'sender-not-allowed' });
  });

  it('leaves ordinary messages alone', () => {
    for (const text of ['Hello, are you there?', 'STATUSES', 'PIN 4321', '', 'Your code is 1234', 'PIN 4321 HELLO']) {
      assert.deepEqual(interpretSms('+447700900123', text, policy), { kind: 'message' }, text);
    }
    // A command word first makes it a command attempt, judged like any other.
    assert.deepEqual(interpretSms('+447700900123', 'locate me please ☺', policy), { kind: 'refused', reason: 'pin-required' });
  });

  it('normalises numbers the way operators write them', () => {
    assert.equal(normaliseNumber('+44 7700 900-123'), '447700900123');
    assert.equal(normaliseNumber('0044(7700)900123'), '447700900123');
    assert.equal(normaliseNumber('447700900123'), '447700900123');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { redactAtBytes, redactAtText } from '../../../src/modem/at/redact.js';

describe('AT secrets redaction', () => {
  it('hides the SIM PIN, PUK and facility passwords, and leaves other commands alone', () => {
    assert.equal(redactAtText('AT+CPIN="1234"\r'), 'AT+CPIN=***\r');
    assert.equal(redactAtText('at+cpin="12345678","4321"'), 'at+cpin=***');
    assert.equal(redactAtText('AT+CLCK="SC",0,"1234"'), 'AT+CLCK=***');
    assert.equal(redactAtText('AT+CPWD="SC","1234","5678"'), 'AT+CPWD=***');
    assert.equal(redactAtText('AT+CPIN?'), 'AT+CPIN?');
    assert.equal(redactAtText('AT+CMGS=23'), 'AT+CMGS=23');
    const echo = Buffer.from('AT+CPIN="1234"\r\r\nOK\r\n', 'latin1');
    assert.ok(!redactAtBytes(echo).toString('latin1').includes('1234'));
    const plain = Buffer.from('AT+CSQ\r\n');
    assert.equal(redactAtBytes(plain), plain);
  });
});

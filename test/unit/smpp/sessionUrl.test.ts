import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSmppUrl, redactUrl } from '../../../src/smpp/session/url.js';
import { ErrorCode, hasErrorCode } from '../../../src/errors.js';

function rejects(url: string, fragment: string): void {
  assert.throws(() => parseSmppUrl(url), (error: unknown) => {
    assert.ok(hasErrorCode(error, ErrorCode.Smpp_InvalidUrl), 'Smpp_InvalidUrl');
    assert.match(error.message, new RegExp(fragment));
    assert.ok(!JSON.stringify(error.context).includes('s3cret'), 'password never in the error');
    return true;
  });
}

describe('parseSmppUrl', () => {
  it('reads the documented example', () => {
    const s = parseSmppUrl('smpp://esme1:s3cret@smsc.example.net:2776?bind=trx&window=10&version=3.4');
    assert.deepEqual(s.endpoint, { host: 'smsc.example.net', port: 2776, tls: false, ca: undefined, rejectUnauthorized: true, servername: undefined });
    assert.equal(s.systemId, 'esme1');
    assert.equal(s.password, 's3cret');
    assert.equal(s.bindMode, 'transceiver');
    assert.equal(s.window, 10);
    assert.equal(s.interfaceVersion, 0x34);
  });

  it('applies defaults: port 2775 (3550 for smpps), transceiver, v3.4, certificate checks on', () => {
    const plain = parseSmppUrl('smpp://id:pw@127.0.0.1');
    assert.equal(plain.endpoint.port, 2775);
    assert.equal(plain.bindMode, 'transceiver');
    const tls = parseSmppUrl('smpps://id:pw@smsc.example.net?ca=/etc/ca.pem&version=5.0&bind=rx');
    assert.equal(tls.endpoint.port, 3550);
    assert.equal(tls.endpoint.tls, true);
    assert.equal(tls.endpoint.ca, '/etc/ca.pem');
    assert.equal(tls.endpoint.rejectUnauthorized, true);
    assert.equal(tls.interfaceVersion, 0x50);
    assert.equal(tls.bindMode, 'receiver');
  });

  it('percent-decodes credentials and reads the other keys', () => {
    const s = parseSmppUrl('smpp://a%40b:p%3Aw@[::1]:1234?rate=20&timeout=5000&enquire_link=30000&system_type=VMA&addr_ton=1&addr_npi=1&address_range=%5E44');
    assert.equal(s.systemId, 'a@b');
    assert.equal(s.password, 'p:w');
    assert.equal(s.endpoint.host, '::1');
    assert.equal(s.maxPerSecond, 20);
    assert.equal(s.responseTimeoutMs, 5000);
    assert.equal(s.enquireLinkMs, 30000);
    assert.equal(s.systemType, 'VMA');
    assert.equal(s.addressRange, '^44');
  });

  it('names the problem', () => {
    rejects('http://id:s3cret@host', 'scheme must be smpp');
    rejects('smpp://:s3cret@host', 'system_id is missing');
    rejects('smpp://id:s3cret@host?bind=both', "bind must be tx, rx or trx, got 'both'");
    rejects('smpp://id:s3cret@host?window=0', "window must be an integer 1..1000, got '0'");
    rejects('smpp://id:s3cret@host?version=4', 'version must be 3.4 or 5.0');
    rejects('smpp://id:s3cret@host?colour=red', "unknown parameter 'colour'");
    rejects('smpp://id:s3cret@host?ca=/x.pem', 'need smpps');
    rejects('smpp://id:s3cret999@host', 'password is longer than 8');
    rejects('smpp://sixteen-chars-idx:s3cret@host', 'system_id is longer than 15');
    rejects('smpps://id:s3cret@host?rejectUnauthorized=no', 'rejectUnauthorized must be true or false');
    rejects('not a url s3cret', 'not a URL');
  });

  it('redacts the password for logs', () => {
    assert.equal(redactUrl('smpp://id:s3cret@host:2775?bind=tx'), 'smpp://id:***@host:2775?bind=tx');
  });
});

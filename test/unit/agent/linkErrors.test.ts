import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkErrorOf, tlsReason } from '../../../src/agent/runtime/linkErrors.js';
import { AgentError, ErrorCode } from '../../../src/errors.js';
import { loadConfig } from '../../../src/agent/config/index.js';

/** An error as node's TLS layer makes it: a code, and a message. */
function tlsError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('link errors', () => {
  it('names the TLS reason from node / OpenSSL codes, through the AgentError cause', () => {
    const cases: Array<[Error, string]> = [
      [tlsError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'), 'unknown-ca'],
      [tlsError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), 'unknown-ca'],
      [tlsError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), 'unknown-ca'],
      [tlsError('CERT_HAS_EXPIRED', 'certificate has expired'), 'expired'],
      [tlsError('CERT_NOT_YET_VALID', 'certificate is not yet valid'), 'not-yet-valid'],
      [tlsError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), 'wrong-host'],
      [tlsError('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'tlsv13 alert certificate required'), 'client-certificate-refused'],
    ];
    for (const [cause, reason] of cases) {
      const error = new AgentError(`cannot connect to 127.0.0.1:3550: ${cause.message}`, ErrorCode.Smpp_Tls, {}, { cause });
      assert.equal(tlsReason(error), reason, cause.message);
      const shown = linkErrorOf(error, Date.UTC(2026, 0, 1));
      assert.deepEqual(shown, { message: error.message, code: 'Smpp_Tls', reason, at: '2026-01-01T00:00:00.000Z' });
    }
    assert.equal(tlsReason(tlsError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:2775')), undefined);
    assert.equal(linkErrorOf(new Error('connect ECONNREFUSED'), 0).reason, undefined);
  });

  it('refuses TLS files that cannot apply', () => {
    const base = 'device: { id: pi-1 }\n';
    assert.throws(() => loadConfig({ text: `${base}smpp: { destination: "+447700900000", caFile: /etc/ca.pem }`, env: {} }), /smpp\.caFile: is for TLS links/);
    assert.throws(() => loadConfig({ text: `${base}smpp: { destination: "+447700900000" }\nmqtt: { certFile: /etc/c.pem }`, env: {} }), /mqtt\.keyFile: mqtt\.certFile and mqtt\.keyFile go together/);
    assert.throws(() => loadConfig({ text: `${base}smpp: { destination: "+447700900000" }\ncommands: { unsigned: false }`, env: {} }), /commands\.unsigned: false refuses/);
  });
});

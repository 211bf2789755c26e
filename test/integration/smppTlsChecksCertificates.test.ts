/**
 * smpps://: the session binds over TLS when the SMSC's certificate is signed by the configured
 * CA, and refuses (Smpp_Tls) a certificate it cannot verify or that names another host, unless
 * checks were explicitly turned off.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmppSession, sessionOptionsFromUrl } from '../../src/smpp/index.js';
import type { SmscSimulator } from '../../src/sim/index.js';
import { ErrorCode, hasErrorCode } from '../../src/errors.js';
import { startSimulator } from '../helpers/simSetup.js';

describe('TLS', () => {
  let dir: string;
  let sim: SmscSimulator;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smpps-'));
    // A self-signed certificate for 127.0.0.1 (openssl is a Debian base tool; the test fails loudly without it).
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=smsc.test',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:smsc.test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    sim = await startSimulator({ tls: { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) } });
  });
  after(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds when the certificate is signed by the configured CA', async () => {
    const session = new SmppSession(sessionOptionsFromUrl(`smpps://esme1:secret@127.0.0.1:${sim.port}?ca=${encodeURIComponent(join(dir, 'cert.pem'))}`));
    await session.connect();
    const answer = await session.submit({ destination_addr: '447700900001', short_message: Buffer.from('over tls') });
    assert.notEqual(answer.message_id, '');
    await session.close();
  });

  it('refuses an unverifiable certificate by default', async () => {
    const session = new SmppSession(sessionOptionsFromUrl(`smpps://esme1:secret@127.0.0.1:${sim.port}`));
    await assert.rejects(session.connect(), (error: unknown) => hasErrorCode(error, ErrorCode.Smpp_Tls));
    assert.equal(session.state, 'closed');
  });

  it('refuses a certificate for another host name', async () => {
    const session = new SmppSession(sessionOptionsFromUrl(
      `smpps://esme1:secret@127.0.0.1:${sim.port}?ca=${encodeURIComponent(join(dir, 'cert.pem'))}&servername=other.example`));
    await assert.rejects(session.connect(), (error: unknown) => hasErrorCode(error, ErrorCode.Smpp_Tls));
  });

  it('connects without checks only when told to', async () => {
    const session = new SmppSession(sessionOptionsFromUrl(`smpps://esme1:secret@127.0.0.1:${sim.port}?rejectUnauthorized=false`));
    await session.connect();
    await session.close();
  });
});

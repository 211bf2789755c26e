/**
 * TLS as configured: a real agent binds over smpps:// to the SMSC simulator whose certificate comes
 * from a private CA (`smpp.caFile`), and mirrors over mqtts:// to a real Mosquitto TLS listener that
 * requires a client certificate (`mqtt.caFile`, `mqtt.certFile`, `mqtt.keyFile`). Misconfigured, it
 * says why: each TLS failure is logged at warn with its reason and shown as the link's lastError
 * (unknown CA, wrong host, client certificate refused).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentProcess, callApi, until, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';
import { account, startSimulator } from '../helpers/simSetup.js';
import { makeTestPki, type TestPki } from '../helpers/testCertificates.js';

interface LinkErrorView {
  readonly message: string;
  readonly code?: string;
  readonly reason?: string;
  readonly at: string;
}
interface StateView {
  readonly smpp: { readonly state: string; readonly lastError?: LinkErrorView };
  readonly mqtt?: { readonly lastError?: LinkErrorView };
}

/** A server certificate from the test CA that names only `other.example`. */
function wrongHostCertificate(pki: TestPki): { key: Buffer; cert: Buffer } {
  const run = (args: string[]): void => void execFileSync('openssl', args, { cwd: pki.dir, stdio: 'ignore' });
  writeFileSync(join(pki.dir, 'other.ext'), 'subjectAltName=DNS:other.example\n');
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.csr', '-subj', '/CN=other.example']);
  run(['x509', '-req', '-in', 'other.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'other.crt', '-extfile', 'other.ext', '-days', '2']);
  return { key: readFileSync(join(pki.dir, 'other.key')), cert: readFileSync(join(pki.dir, 'other.crt')) };
}

async function runAgent(dir: string, name: string, lines: readonly string[], check: (agent: AgentProcess, api: string) => Promise<void>): Promise<void> {
  const home = join(dir, name);
  mkdirSync(home);
  const api = join(home, 'api.sock');
  const agent = new AgentProcess(writeAgentConfig(home, [
    `device: { id: ${name} }`,
    'modem: { enabled: false }',
    'location: { enabled: false }',
    `store: { path: "${join(home, 'agent.db')}" }`,
    `api: { listen: "unix:${api}" }`,
    'log: { level: info }',
    ...lines,
  ]));
  agent.start();
  try {
    await waitForApi(api, 20_000);
    await check(agent, api);
  } finally {
    await agent.kill('SIGTERM');
  }
}

async function state(api: string): Promise<StateView> {
  return JSON.parse((await callApi(api, 'GET', '/state')).text) as StateView;
}

async function waitForState(api: string, accept: (view: StateView) => boolean, what: string): Promise<StateView> {
  let last: StateView | undefined;
  const deadline = Date.now() + 20_000;
  for (;;) {
    last = await state(api);
    if (accept(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last state: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('TLS files from the config', () => {
  it('binds over smpps with a private CA, mirrors over mqtts with a client certificate, and names each TLS failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-tls-'));
    const pki = makeTestPki();
    const stranger = makeTestPki(); // another CA: what it signs, our agent does not trust
    const tls = { key: readFileSync(pki.serverKey), cert: readFileSync(pki.serverCert) };
    const smsc = await startSimulator({ tls });
    const wrongHostSmsc = await startSimulator({ tls: wrongHostCertificate(pki) });
    const broker = await Mosquitto.start({ tls: { caFile: pki.caCert, certFile: pki.serverCert, keyFile: pki.serverKey, requireClientCert: true } });
    const probe = await MqttProbe.connect(broker.url);
    const smpp = (port: number, caFile: string): string =>
      `smpp: { url: "smpps://${account.systemId}:${account.password}@127.0.0.1:${port}", caFile: "${caFile}", destination: "+447700900000", reconnectMinS: 0.2, reconnectMaxS: 1 }`;
    try {
      await probe.subscribe('edge-sms/+/state');

      // As configured: both links up over TLS. The agent can reach the broker only on its TLS listener.
      await runAgent(dir, 'pi-tls', [
        smpp(smsc.port, pki.caCert),
        `mqtt: { url: "${broker.tlsUrl}", caFile: "${pki.caCert}", certFile: "${pki.clientCert}", keyFile: "${pki.clientKey}", stateIntervalMs: 200 }`,
      ], async (agent, api) => {
        await waitForState(api, (view) => view.smpp.state === 'bound', 'the smpps bind');
        await probe.waitForTopic('edge-sms/pi-tls/state', (text) => (JSON.parse(text) as StateView).smpp.state === 'bound', 20_000);
        assert.deepEqual(agent.above(30).filter((entry) => /TLS|tls/.test(entry.msg)), []);
      });

      // An SMSC certificate from a CA we do not trust, and no client certificate for the broker.
      await runAgent(dir, 'pi-unknown-ca', [
        smpp(smsc.port, stranger.caCert),
        `mqtt: { url: "${broker.tlsUrl}", caFile: "${pki.caCert}" }`,
      ], async (agent, api) => {
        const view = await waitForState(api, (v) => v.smpp.lastError?.reason !== undefined && v.mqtt?.lastError?.reason !== undefined, 'both TLS failures in the state');
        assert.equal(view.smpp.lastError?.reason, 'unknown-ca', JSON.stringify(view.smpp.lastError));
        assert.equal(view.smpp.lastError?.code, 'Smpp_Tls');
        assert.equal(view.mqtt?.lastError?.reason, 'client-certificate-refused', JSON.stringify(view.mqtt?.lastError));
        await until(() => agent.logs.some((entry) => entry.level === 40 && entry['reason'] === 'unknown-ca'), 10_000, 'the SMPP TLS failure at warn');
        await until(() => agent.logs.some((entry) => entry.level === 40 && entry['mod'] === 'mqtt' && /certificate/i.test(entry.msg)), 10_000, 'the MQTT TLS failure at warn');
      });

      // A certificate for another host; a broker certificate from a CA we do not trust.
      await runAgent(dir, 'pi-wrong-host', [
        smpp(wrongHostSmsc.port, pki.caCert),
        `mqtt: { url: "${broker.tlsUrl}", caFile: "${stranger.caCert}", certFile: "${pki.clientCert}", keyFile: "${pki.clientKey}" }`,
      ], async (agent, api) => {
        const view = await waitForState(api, (v) => v.smpp.lastError?.reason !== undefined && v.mqtt?.lastError?.reason !== undefined, 'both TLS failures in the state');
        assert.equal(view.smpp.lastError?.reason, 'wrong-host', JSON.stringify(view.smpp.lastError));
        assert.equal(view.mqtt?.lastError?.reason, 'unknown-ca', JSON.stringify(view.mqtt?.lastError));
        await until(() => agent.logs.some((entry) => entry.level === 40 && entry['reason'] === 'wrong-host'), 10_000, 'the SMPP TLS failure at warn');
      });
    } finally {
      await probe.close();
      await smsc.stop();
      await wrongHostSmsc.stop();
      await broker.stop();
      rmSync(pki.dir, { recursive: true, force: true });
      rmSync(stranger.dir, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Who may use the console. `edge-sms-agent run` as a real process with the console's LAN door
 * opted in (on a loopback address here: tests never listen elsewhere) over TLS with a token file:
 * without the token every API request is refused (the page's own files are not: they ask for it);
 * a Bearer header or the login's HttpOnly SameSite=Strict cookie lets a request in, in Chromium as
 * with a plain client. On loopback a cross-site form post from another page (real Chromium) and a
 * DNS-rebound Host are refused, and nothing is queued. `/state` carries no secret of the config,
 * and `status` shows the token to whoever can read its file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleConsole } from '../../scripts/bundleConsole.js';
import { AgentProcess, until, writeAgentConfig } from '../helpers/agentProcess.js';
import { launchChromium, screenshot } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { makeTestPki, type TestPki } from '../helpers/testCertificates.js';

const token = 'tok-3f9a1c7e5b2d4a60b8e1';
const secrets = ['Sm7pPw', '97531', 'mqtt-Pa55-word', '2468', token];

interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

function call(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; ca?: Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, { method: options.method ?? 'GET', headers: options.headers ?? {}, ...(options.ca === undefined ? {} : { ca: options.ca }) }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('console access', () => {
  let dir: string;
  let pki: TestPki;
  let agent: AgentProcess;
  let config: string;
  let local: string;
  let lan: string;
  let ca: Buffer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'esa-console-lan-'));
    await bundleConsole();
    pki = makeTestPki();
    ca = readFileSync(pki.caCert);
    writeFileSync(join(dir, 'console.token'), `${token}\n`, { mode: 0o600 });
    config = writeAgentConfig(dir, [
      'device: { id: pi-lan }',
      `smpp: { url: "smpp://edge:${secrets[0]}@127.0.0.1:1", destination: "+447700900000" }`,
      `modem: { enabled: false, pin: "${secrets[1]}" }`,
      'location: { enabled: false }',
      `mqtt: { enabled: false, username: edge, password: "${secrets[2]}" }`,
      `store: { path: "${join(dir, 'agent.db')}" }`,
      `commands: { allow: ["+447700900123"], pin: "${secrets[3]}" }`,
      'api: { listen: "127.0.0.1:0" }',
      `console: { lan: { listen: "127.0.0.1:0", tokenFile: "${join(dir, 'console.token')}", certFile: "${pki.serverCert}", keyFile: "${pki.serverKey}" } }`,
      'log: { level: info }',
    ]);
    agent = new AgentProcess(config);
    agent.start();
    await until(() => agent.logs.some((entry) => entry.msg === 'console listening on the LAN (token required)'), 30_000, 'the LAN door');
    const door = agent.logs.find((entry) => entry.msg === 'console listening on the LAN (token required)');
    assert.equal(door?.['tls'], true);
    lan = `https://localhost:${String(door?.['port'])}`;
    local = new URL(String(agent.logs.find((entry) => entry.msg === 'web console on loopback')?.['address'])).origin;
  });

  after(async () => {
    await agent?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    rmSync(pki.dir, { recursive: true, force: true });
  });

  it('on the LAN, every API request needs the token; the page itself does not', async () => {
    for (const path of ['/state', '/events', '/inbox', '/outbox', '/cmd/set-config', '/console/config.json']) {
      const refused = await call(`${lan}${path}`, { ca });
      assert.equal(refused.status, 401, path);
      assert.match(String(refused.headers['www-authenticate']), /^Bearer/);
    }
    const wrong = await call(`${lan}/state`, { ca, headers: { Authorization: 'Bearer tok-wrong-wrong-wrong' } });
    assert.equal(wrong.status, 401);
    assert.equal((await call(`${lan}/console/`, { ca })).status, 200);
    assert.equal((await call(`${lan}/console/app.js`, { ca })).status, 200);
    const state = await call(`${lan}/state`, { ca, headers: { Authorization: `Bearer ${token}` } });
    assert.equal(state.status, 200);
    const sent = await call(`${lan}/cmd/send-sms`, { ca, method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ to: '+447700900555', text: 'over the LAN' }) });
    assert.equal(sent.status, 200, sent.text);
    assert.equal((JSON.parse(sent.text) as { status: string }).status, 'ok');
  });

  it('logging in sets an HttpOnly SameSite=Strict Secure cookie that opens the console in Chromium', async () => {
    const badLogin = await call(`${lan}/console/login`, { ca, method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: 'not-the-token-at-all' }) });
    assert.equal(badLogin.status, 401);
    const browser = await launchChromium(undefined, { ignoreHTTPSErrors: true });
    try {
      const page = await browser.context.newPage();
      await page.goto(`${lan}/console/`);
      await page.getByLabel('Token').fill(token);
      await screenshot(page, 'lan-login');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.locator('[data-field="version"]').waitFor({ timeout: 20_000 });
      const cookie = (await browser.context.cookies(lan)).find((candidate) => candidate.name === 'esa_console');
      assert.ok(cookie !== undefined, 'the session cookie is set');
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Strict');
      assert.equal(cookie.secure, true);
      assert.notEqual(cookie.value, token, 'the cookie is not the token itself');
      await page.locator('[data-field="smpp.state"]').waitFor();
      const html = await page.content();
      assert.ok(!secrets.some((secret) => html.includes(secret)), 'no secret in the page');
      await screenshot(page, 'lan-overview');
    } finally {
      await browser.close();
    }
  });

  it('GET /state carries no secret of the configuration', async () => {
    const state = await call(`${local}/state`);
    assert.equal(state.status, 200);
    for (const secret of secrets) assert.ok(!state.text.includes(secret), `the state does not carry ${secret.slice(0, 2)}…`);
  });

  it('a cross-site form post from another page is refused in Chromium, and a rebound Host too', async () => {
    // A page of another origin (another port on loopback) that posts a JSON-looking text/plain form to the agent.
    const evil: Server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<form id="f" method="POST" action="${local}/cmd/send-sms" enctype="text/plain">
        <input name='{"to":"+447700900666","text":"forged","x":"' value='"}'></form><script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      const answered = page.waitForResponse((response) => response.url().startsWith(`${local}/cmd/send-sms`), { timeout: 20_000 });
      const port = (evil.address() as { port: number }).port;
      await page.goto(`http://127.0.0.1:${port}/`);
      const response = await answered;
      assert.equal(response.status(), 403, await response.text());
    } finally {
      await browser.close();
      await new Promise<void>((resolve) => evil.close(() => resolve()));
    }
    const plain = await call(`${local}/cmd/send-sms`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{"to":"+447700900667","text":"forged"}' });
    assert.equal(plain.status, 415, 'a form encoding is not JSON');
    const foreign = await call(`${local}/cmd/send-sms`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' }, body: '{"to":"+447700900668","text":"forged"}' });
    assert.equal(foreign.status, 403);
    for (const path of ['/state', '/events', '/outbox', '/console/']) {
      const rebound = await call(`${local}${path}`, { headers: { Host: 'rebound.example:80' } });
      assert.equal(rebound.status, 421, `${path} answers only to loopback names (DNS rebinding)`);
    }
    const rebound = await call(`${local}/reports`, { method: 'POST', headers: { Host: 'rebound.example:80', 'Content-Type': 'application/json' }, body: '{"kind":"telemetry","data":{"forged":1}}' });
    assert.equal(rebound.status, 421);
    const outbox = JSON.parse((await call(`${local}/outbox`)).text) as { items: { text: string | null }[] };
    assert.ok(!outbox.items.some((item) => item.text === 'forged'), 'nothing forged was queued');
  });

  it('status shows the console and, to whoever can read the token file, the token', async () => {
    const result = await runCli(['status', '--config', config]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^console: http:\/\/127\.0\.0\.1:0\/console\/ \(on this machine\)$/m);
    assert.match(result.stdout, new RegExp(`^console on the LAN: https://127\\.0\\.0\\.1:0/console/ token ${token}$`, 'm'));
  });
});

/**
 * The web console in a real browser (Debian's Chromium, headless, phone-sized) against
 * `edge-sms-agent run` as a real process with the SMSC simulator (TCP, fast receipts) and the modem
 * emulator on a pty. Each page is loaded and what it shows is checked against `GET /state` and the
 * store; an SMS sent from the page is followed to its receipt; a report failed by the SMSC is
 * retried from the page and delivered; settings go through set-config with its validation; the
 * inbox masks a command's PIN and marks a binary message; no page renders a secret. Every page is
 * checked for labels, contrast (WCAG AA) and keyboard reach, and screenshotted into test/artefacts/.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CommandStatus } from '../../src/smpp/index.js';
import { startModemEmulator, type RunningModemEmulator } from '../../src/sim/modem/index.js';
import type { SmscSimulator } from '../../src/sim/index.js';
import { validateCommand } from '../../src/mqtt/index.js';
import { bundleConsole } from '../../scripts/bundleConsole.js';
import { AgentProcess, until, writeAgentConfig } from '../helpers/agentProcess.js';
import { keyboardGaps, launchChromium, lowContrastTexts, screenshot, unlabelledControls, type Browser } from '../helpers/browser.js';
import { startSimulator } from '../helpers/simSetup.js';

// SMPP passwords are at most 8 characters.
const account = { systemId: 'esme1', password: 'Pw7Zq81x' };
const commandPin = '8642';
const allowed = '+447700900123';

interface StateJson {
  readonly version: string;
  readonly smpp: { readonly state: string; readonly windowSize: number };
  readonly modem: { readonly sim: string; readonly registration: string; readonly operator: string | null };
  readonly outbox: { readonly byState: Readonly<Record<string, number>> };
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  assert.equal(response.status, 200, `${url}: ${response.status}`);
  return (await response.json()) as T;
}

/** The page's checks that hold on every page: labels, contrast, keyboard, no secret; then a screenshot. */
async function checkPage(page: Page, name: string): Promise<void> {
  assert.deepEqual(await unlabelledControls(page), [], `${name}: every control has a label`);
  assert.deepEqual(await lowContrastTexts(page), [], `${name}: every text meets WCAG AA contrast`);
  const keyboard = await keyboardGaps(page);
  assert.deepEqual(keyboard.unreached, [], `${name}: Tab reaches every control`);
  assert.deepEqual(keyboard.invisible, [], `${name}: focus is visible`);
  const html = await page.content();
  assert.ok(!html.includes(account.password) && !html.includes(commandPin), `${name}: no secret in the page`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `${name}: fits the phone's width (no sideways scrolling)`);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await screenshot(page, name);
}

describe('the web console in Chromium', () => {
  let dir: string;
  let sim: SmscSimulator;
  let modem: RunningModemEmulator;
  let agent: AgentProcess;
  let browser: Browser;
  let base: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'esa-console-'));
    await bundleConsole();
    sim = await startSimulator({ accounts: [account], receipts: { delayMs: 200 } });
    modem = await startModemEmulator({ link: join(dir, 'ttyEDGE0'), profile: 'simcom-sim7600' });
    const config = writeAgentConfig(dir, [
      'device: { id: pi-console }',
      `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${sim.port}?bind=trx&window=5", destination: "+447700900000", reconnectMinS: 0.2, reconnectMaxS: 1 }`,
      `modem: { port: "${modem.path}", profile: simcom-sim7600, fallbackAfterS: 3600 }`,
      'location: { enabled: false }',
      'mqtt: { enabled: false }',
      `store: { path: "${join(dir, 'agent.db')}" }`,
      'reports: { kinds: { telemetry: { maxDelayS: 0, receipts: true } } }',
      `commands: { allow: ["${allowed}"], pin: "${commandPin}" }`,
      'api: { listen: "127.0.0.1:0" }',
      'log: { level: info }',
    ]);
    agent = new AgentProcess(config);
    agent.start();
    await until(() => agent.logs.some((entry) => entry.msg === 'web console on loopback'), 30_000, 'the console URL in the log');
    const url = agent.logs.find((entry) => entry.msg === 'web console on loopback')?.['address'];
    assert.ok(typeof url === 'string');
    base = new URL(url).origin;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await agent?.kill('SIGTERM');
    await modem?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('/ leads to the console, which is small, self-contained and carries a CSP', async () => {
    const root = await fetch(`${base}/`, { redirect: 'manual' });
    assert.equal(root.status, 302);
    assert.equal(root.headers.get('location'), '/console/');
    const page = await fetch(`${base}/console/`);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'.*connect-src 'self'/);
    const html = await page.text();
    assert.ok(!/https?:\/\//.test(html.replace(/<noscript>[\s\S]*<\/noscript>/, '')), 'the page loads nothing from elsewhere');
    assert.equal((await fetch(`${base}/no-such-endpoint`, { redirect: 'manual' })).status, 404, '/ is not a prefix of every path');
    const script = await fetch(`${base}/console/app.js`, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(script.status, 200);
  });

  it('Overview shows what GET /state says, live', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/console/`);
    await page.locator('[data-field="smpp.state"]', { hasText: 'bound' }).waitFor({ timeout: 30_000 });
    await page.locator('[data-field="modem.registration"]', { hasText: /home|roaming/ }).waitFor({ timeout: 30_000 });
    const state = await getJson<StateJson>(`${base}/state`);
    const shown = async (field: string): Promise<string> => (await page.locator(`[data-field="${field}"]`).first().textContent()) ?? '';
    assert.equal(await shown('smpp.state'), state.smpp.state);
    assert.equal(await shown('modem.sim'), state.modem.sim);
    assert.equal(await shown('modem.registration'), state.modem.registration);
    assert.equal(await shown('modem.operator'), state.modem.operator ?? '—');
    assert.equal(await shown('version'), state.version);
    assert.match(await shown('smpp.window'), new RegExp(`/ ${state.smpp.windowSize}`));
    for (const [name, count] of Object.entries(state.outbox.byState)) assert.equal(await shown(`outbox.byState.${name}`), String(count), name);
    await page.locator('[data-field="health.database"]', { hasText: 'ok' }).waitFor({ timeout: 15_000 });
    await checkPage(page, 'overview');
    await page.close();
  });

  it('Send queues an SMS and shows its receipt when it comes', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/console/#/send`);
    await page.getByLabel('To', { exact: true }).fill('+447700900555');
    await page.getByLabel('Text').fill('hello from the console');
    await checkPage(page, 'send-form');
    await page.getByRole('button', { name: 'Queue it' }).click();
    const outcome = page.locator('[data-outcome]').first();
    await outcome.waitFor({ timeout: 15_000 });
    const id = await outcome.getAttribute('data-outcome');
    assert.ok(id !== null);
    await page.locator(`[data-outcome="${id}"]`, { hasText: 'delivered' }).waitFor({ timeout: 30_000 });
    await page.locator(`[data-sent="${id}"] [data-event="report-submitted"]`).waitFor({ timeout: 5_000 });
    const { report } = await getJson<{ report: { state: string; text: string } }>(`${base}/outbox/${id}`);
    assert.equal(report.state, 'delivered');
    assert.equal(report.text, 'hello from the console');

    // A test reading, and a refusal shown with the validator's own words.
    await page.getByLabel('What').selectOption('reading');
    await page.getByRole('button', { name: 'Queue it' }).click();
    await page.locator('[data-outcome]', { hasText: 'delivered' }).nth(1).waitFor({ timeout: 30_000 });
    await page.getByLabel('What').selectOption('sms');
    await page.getByLabel('To', { exact: true }).fill('not-a-number');
    await page.getByRole('button', { name: 'Queue it' }).click();
    await page.getByRole('alert').filter({ hasText: 'to:' }).waitFor({ timeout: 5_000 });
    await screenshot(page, 'send-outcomes');
    await page.close();
  });

  it('Outbox retries a failed report after a confirmation, and it is delivered', async () => {
    sim.setFaults({ answerWith: { status: CommandStatus.ESME_RINVDSTADR, commands: ['submit_sm'] } });
    const queued = await fetch(`${base}/cmd/send-sms`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ to: '+447700900556', text: 'refused once' }) });
    const { data } = (await queued.json()) as { data: { id: string } };
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { report } = await getJson<{ report: { state: string } }>(`${base}/outbox/${data.id}`);
      if (report.state === 'failed') break;
      assert.ok(Date.now() < deadline, 'the SMSC refusal fails the report');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    sim.setFaults({});

    const page = await browser.context.newPage();
    await page.goto(`${base}/console/#/outbox`);
    await page.getByLabel('State', { exact: true }).selectOption('failed');
    const row = page.locator(`tr[data-id="${data.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    await checkPage(page, 'outbox-failed');
    await row.getByRole('button').click();
    await page.getByRole('button', { name: `Retry report ${data.id}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await screenshot(page, 'outbox-confirm');
    await dialog.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('status').filter({ hasText: `Report ${data.id} is queued again` }).waitFor({ timeout: 10_000 });
    const end = Date.now() + 30_000;
    for (;;) {
      const { report } = await getJson<{ report: { state: string } }>(`${base}/outbox/${data.id}`);
      if (report.state === 'delivered') break;
      assert.ok(Date.now() < end, `the retried report is delivered (now ${report.state})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await page.getByLabel('State', { exact: true }).selectOption('delivered');
    await page.locator(`tr[data-id="${data.id}"][data-state="delivered"]`).waitFor({ timeout: 10_000 });
    await page.close();
  });

  it('the inbox shows received SMS and commands with the PIN masked, binary ones marked', async () => {
    await sim.injectMo({ source_addr: allowed, destination_addr: '+447700900000', text: `PIN ${commandPin} PING` });
    await sim.injectMo({ source_addr: '+447700900777', destination_addr: '+447700900000', data_coding: 4, short_message: Buffer.from([0xde, 0xad, 0xbe, 0xef]) });
    const page = await browser.context.newPage();
    await page.goto(`${base}/console/#/outbox`);
    await page.locator('tr[data-kind="command"]', { hasText: 'PIN •••• PING' }).waitFor({ timeout: 15_000 });
    await page.locator('tr[data-inbox]', { hasText: 'undecodable' }).filter({ hasText: 'deadbeef' }).waitFor({ timeout: 15_000 });
    const { items } = await getJson<{ items: { kind: string; text: string | null }[] }>(`${base}/inbox?limit=10`);
    assert.ok(items.some((item) => item.kind === 'command' && item.text === 'PIN •••• PING'));
    assert.ok(!JSON.stringify(items).includes(commandPin), 'GET /inbox never carries the PIN');
    await checkPage(page, 'outbox-inbox');
    await page.close();
  });

  it('Settings apply through set-config and refuse what MQTT set-config refuses, in its words', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/console/#/settings`);
    const { keys } = await getJson<{ keys: string[] }>(`${base}/cmd/set-config`);
    for (const key of keys) await page.getByLabel(key, { exact: true }).waitFor({ timeout: 10_000 });
    await page.getByLabel('log.level', { exact: true }).fill('debug');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('status').filter({ hasText: 'Applied: log.level = debug' }).waitFor({ timeout: 10_000 });
    await page.getByLabel('log.level', { exact: true }).fill('');
    await page.getByLabel('location.pollS', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Apply' }).click();
    const expected = (() => {
      try {
        validateCommand('set-config', { values: { 'location.pollS': 1 } });
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    })();
    await page.getByRole('status').filter({ hasText: `Refused: ${expected}` }).waitFor({ timeout: 10_000 });
    assert.equal(await page.getByLabel('location.pollS', { exact: true }).getAttribute('aria-invalid'), 'true');
    await checkPage(page, 'settings');
    await page.close();
  });

  it('Trace and events streams the events, pauses, and says when the trace is not there', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/console/#/trace`);
    await page.locator('#events-list li[data-type="report-delivered"]').first().waitFor({ timeout: 10_000 });
    const traceThere = await fetch(`${base}/trace`, { redirect: 'manual', signal: AbortSignal.timeout(5000) }).then((response) => {
      void response.body?.cancel();
      return response.status === 200 && (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
    });
    await page.getByRole('status').filter({ hasText: traceThere ? 'Live.' : 'Trace not available' }).waitFor({ timeout: 10_000 });
    const events = page.getByRole('region', { name: 'Events' });
    await events.getByRole('button', { name: 'Pause' }).click();
    const before = await page.locator('#events-list li').count();
    await fetch(`${base}/cmd/send-sms`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ to: '+447700900558', text: 'while paused' }) });
    await events.getByText(/\d+ held/).waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('#events-list li').count(), before, 'nothing is added while paused');
    await events.getByRole('button', { name: 'Resume' }).click();
    await page.waitForFunction((count) => document.querySelectorAll('#events-list li').length > count, before, { timeout: 5_000 });
    await checkPage(page, 'trace-events');
    await page.close();
  });

  it('Location draws its plot without the internet', async () => {
    const page = await browser.context.newPage();
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(base)) external.push(request.url());
    });
    await page.goto(`${base}/console/#/location`);
    await page.locator('svg.plot').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Locate now' }).click();
    await page.getByRole('status').filter({ hasText: /fix|Locate failed/ }).waitFor({ timeout: 90_000 });
    assert.deepEqual(external, [], 'no request leaves the device');
    await checkPage(page, 'location');
    await page.close();
  });
});

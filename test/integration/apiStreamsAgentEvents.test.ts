/**
 * The local API streams the agent's events as Server-Sent Events: `edge-sms-agent run` as a real
 * process with no MQTT broker at all, the SMSC simulator with fast receipts. A client of `GET /events`
 * on the Unix socket sees `link-up`, then `report-submitted` and `report-delivered` for a report it
 * posts; a second client that connects later with `?replay=` catches up from the recent events; a
 * client that resumes with Last-Event-ID gets only what came after that id.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentProcess, callApi, until, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { account, startSimulator } from '../helpers/simSetup.js';

interface StreamedEvent {
  readonly id: number;
  readonly data: { readonly type: string; readonly at: string; readonly ids?: readonly string[] };
}

/** Reads SSE records from the socket until closed; `events` fills as they arrive. */
function follow(socketPath: string, path: string, headers: Record<string, string> = {}): { events: StreamedEvent[]; contentType: Promise<string>; close: () => void } {
  const events: StreamedEvent[] = [];
  let response: IncomingMessage | undefined;
  const contentType = new Promise<string>((resolve, reject) => {
    const req = request({ socketPath, path, headers }, (res) => {
      response = res;
      resolve(String(res.headers['content-type']));
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const record = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (\d+)$/m.exec(record)?.[1];
          const data = /^data: (.*)$/m.exec(record)?.[1];
          if (id !== undefined && data !== undefined) events.push({ id: Number(id), data: JSON.parse(data) as StreamedEvent['data'] });
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
  return { events, contentType, close: () => response?.destroy() };
}

describe('GET /events', () => {
  it('streams link and report events live, replays recent ones, and resumes after Last-Event-ID', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-sse-'));
    const sim = await startSimulator({ receipts: { delayMs: 100 } });
    const api = join(dir, 'api.sock');
    const config = writeAgentConfig(dir, [
      'device: { id: pi-sse }',
      `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${sim.port}?bind=trx&window=5", destination: "+447700900000" }`,
      'modem: { enabled: false }',
      'location: { enabled: false }',
      'mqtt: { enabled: false }',
      `store: { path: "${join(dir, 'agent.db')}" }`,
      'reports: { kinds: { telemetry: { maxDelayS: 0, receipts: true } } }',
      `api: { listen: "unix:${api}" }`,
      'log: { level: warn }',
    ]);
    const agent = new AgentProcess(config);
    const live = { close: () => undefined } as { close: () => void };
    try {
      agent.start();
      await waitForApi(api, 15_000);
      const first = follow(api, '/events?replay=50');
      Object.assign(live, first);
      assert.match(await first.contentType, /^text\/event-stream/);
      await until(() => first.events.some((event) => event.data.type === 'link-up'), 15_000, 'link-up on the stream');

      const posted = await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { T: 21.5 } });
      assert.equal(posted.status, 201, posted.text);
      const id = String((JSON.parse(posted.text) as { id: number }).id);
      const carries = (type: string) => (event: StreamedEvent): boolean => event.data.type === type && (event.data.ids ?? []).includes(id);
      await until(() => first.events.some(carries('report-delivered')), 15_000, 'report-delivered on the stream');
      const submitted = first.events.findIndex(carries('report-submitted'));
      assert.ok(submitted >= 0 && submitted < first.events.findIndex(carries('report-delivered')), 'submitted comes before delivered');
      assert.ok(first.events.every((event, index) => index === 0 || event.id > (first.events[index - 1]?.id ?? 0)), 'ids increase');
      assert.ok(first.events.every((event) => !Number.isNaN(Date.parse(event.data.at))), 'each event carries its time');

      const late = follow(api, '/events?replay=50');
      await until(() => late.events.some(carries('report-delivered')), 5_000, 'the late client catching up');
      assert.deepEqual(late.events.map((event) => event.id), first.events.map((event) => event.id).slice(-late.events.length));
      late.close();

      const pivot = first.events[first.events.length - 2];
      assert.ok(pivot !== undefined);
      const resumed = follow(api, '/events', { 'Last-Event-ID': String(pivot.id) });
      await until(() => resumed.events.length >= 1, 5_000, 'the resumed client');
      assert.deepEqual(resumed.events.map((event) => event.id), first.events.filter((event) => event.id > pivot.id).map((event) => event.id));
      resumed.close();
    } finally {
      live.close();
      await agent.kill('SIGTERM');
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

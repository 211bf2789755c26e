/**
 * POST /cmd/<name> on a real local API server (127.0.0.1:0) in front of the fake agent: the same
 * validator and handlers as MQTT, the same reply bodies and error codes, with HTTP statuses that
 * say the same; nothing changes on a refusal; cross-site writes are refused before any handler runs.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IngestApi } from '../../../../src/agent/api/index.js';
import { cmdRoutes } from '../../../../src/agent/console/cmdRoutes.js';
import { safeConfigKeys, validateCommand } from '../../../../src/mqtt/index.js';
import { FakeAgent } from '../../../fakes/agentHandlers.js';

describe('POST /cmd/<name>', () => {
  const agent = new FakeAgent();
  const api = new IngestApi({ submitReport: () => ({ id: 1, dropped: 0 }), state: () => ({}), health: () => ({ ok: true }) });
  let base = '';

  before(async () => {
    api.addRoutes(cmdRoutes({ handlers: agent, timeoutMs: 300 }));
    const bound = await api.listen({ kind: 'tcp', host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${bound.kind === 'tcp' ? bound.port : 0}`;
  });
  after(() => api.close());

  const post = async (name: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: { status?: string; data?: unknown; error?: { code: string; message: string; field?: string } } }> => {
    const response = await fetch(`${base}/cmd/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as never };
  };

  it('runs a command through the MQTT handler and answers its reply body', async () => {
    const reply = await post('send-sms', { to: '+447700900123', text: 'hi' });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, { status: 'ok', data: { id: 'm1' } });
    assert.deepEqual(agent.calls.at(-1)?.request, { to: '+447700900123', text: 'hi', priority: 'normal', via: 'auto' });
    const state = await post('get-state', {});
    assert.equal(state.status, 200);
    assert.deepEqual(state.body.data, agent.state);
  });

  it("refuses a bad payload in the validator's own words, and changes nothing", async () => {
    const calls = agent.calls.length;
    const reply = await post('set-config', { values: { 'location.pollS': 1 } });
    let expected = '';
    try {
      validateCommand('set-config', { values: { 'location.pollS': 1 } });
    } catch (error) {
      expected = (error as Error).message;
    }
    assert.equal(reply.status, 400);
    assert.equal(reply.body.status, 'error');
    assert.equal(reply.body.error?.code, 'out_of_range');
    assert.equal(reply.body.error?.message, expected);
    assert.equal(agent.calls.length, calls);
  });

  it('answers 404 unknown_command, 400 for a non-object, 504 timeout', async () => {
    const unknown = await post('self-destruct', {});
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error?.code, 'unknown_command');
    const array = await post('get-state', [1, 2]);
    assert.equal(array.status, 400);
    assert.equal(array.body.error?.code, 'invalid_json');
    agent.hangLocate = true;
    const slow = await post('locate', { fresh: true });
    assert.equal(slow.status, 504);
    assert.equal(slow.body.error?.code, 'timeout');
  });

  it('lists the set-config keys from the validator', async () => {
    const response = await fetch(`${base}/cmd/set-config`);
    assert.deepEqual(await response.json(), { keys: safeConfigKeys });
  });

  it('refuses cross-site and non-JSON writes before any handler runs', async () => {
    const calls = agent.calls.length;
    assert.equal((await post('send-sms', { to: '+447700900123', text: 'x' }, { 'Sec-Fetch-Site': 'cross-site' })).status, 403);
    assert.equal((await post('send-sms', { to: '+447700900123', text: 'x' }, { 'Sec-Fetch-Site': 'same-site' })).status, 403);
    assert.equal((await post('send-sms', { to: '+447700900123', text: 'x' }, { Origin: 'http://evil.example' })).status, 403);
    const form = await fetch(`${base}/cmd/send-sms`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'to=%2B447700900123&text=x' });
    assert.equal(form.status, 415);
    assert.equal(agent.calls.length, calls);
    const sameOrigin = await post('send-sms', { to: '+447700900123', text: 'x' }, { Origin: base, 'Sec-Fetch-Site': 'same-origin' });
    assert.equal(sameOrigin.status, 200);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { DeviceTopics } from '../../../src/mqtt/index.js';
import { CommandDispatcher } from '../../../src/mqtt/dispatcher.js';
import { checkJsonShape, shapeLimits } from '../../../src/mqtt/payloadLimits.js';
import { silentLogger } from '../../../src/logger.js';
import { ManualClock } from '../../fakes/manualClock.js';
import { FakeAgent } from '../../fakes/agentHandlers.js';

function dispatcher(agent: FakeAgent, maxPayloadBytes = 2048): CommandDispatcher {
  return new CommandDispatcher({ topics: new DeviceTopics('edge-sms', 'pi-1'), groups: [], handlers: agent, clock: new ManualClock(), handlerTimeoutMs: 1000, maxInFlight: 4, maxPayloadBytes, log: silentLogger() });
}

function errorOf(reply: Awaited<ReturnType<CommandDispatcher['handle']>>): { code: string; message: string; field?: string } | undefined {
  return reply?.reply.status === 'error' ? reply.reply.error : undefined;
}

describe('command payload limits', () => {
  it('refuses a payload over maxPayloadBytes before parsing it, naming the limit; no handler runs', async () => {
    const agent = new FakeAgent();
    const reply = await dispatcher(agent).handle({ topic: 'edge-sms/pi-1/cmd/report', payload: Buffer.from(`{"kind":"t","data":{"s":"${'x'.repeat(3000)}"}}`), responseTopic: 'caller/r' });
    assert.equal(reply?.topic, 'caller/r');
    assert.equal(errorOf(reply)?.code, 'out_of_range');
    assert.equal(errorOf(reply)?.field, '(payload)');
    assert.match(errorOf(reply)?.message ?? '', /3\d{3} bytes, more than mqtt\.maxPayloadBytes \(2048\)/);
    assert.equal(agent.calls.length, 0);
  });

  it('refuses deep nesting (which JSON.stringify could not even print), long strings, long lists and wide objects, echoing the requestId', async () => {
    const agent = new FakeAgent();
    const d = dispatcher(agent, 65536);
    const deep = `{"requestId":"deep","kind":"t","data":{"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`;
    const cases: Array<[string, RegExp]> = [
      [deep, /nested more than 8 levels/],
      [JSON.stringify({ requestId: 'long', to: '+4477', text: 'x'.repeat(4097) }), /text: a string of 4097 characters; the most a command takes is 4096/],
      [JSON.stringify({ requestId: 'list', action: 'retry', ids: Array.from({ length: 1001 }, (_, i) => String(i)) }), /ids: a list of 1001 items/],
      [JSON.stringify({ requestId: 'wide', kind: 't', data: Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`f${i}`, i])) }), /data: an object of 129 fields/],
    ];
    for (const [payload, message] of cases) {
      const reply = await d.handle({ topic: 'edge-sms/pi-1/cmd/report', payload: Buffer.from(payload) });
      assert.equal(errorOf(reply)?.code, 'out_of_range', payload.slice(0, 60));
      assert.match(errorOf(reply)?.message ?? '', message);
      assert.equal(reply?.reply.requestId, (JSON.parse(payload) as { requestId: string }).requestId);
    }
    assert.equal(agent.calls.length, 0, 'nothing reached a handler');
  });

  it('lets through what every command needs', () => {
    assert.doesNotThrow(() => checkJsonShape({ values: { 'log.level': 'info' }, requestId: 'r' }));
    assert.doesNotThrow(() => checkJsonShape({ action: 'retry', ids: Array.from({ length: 1000 }, (_, i) => String(i)) }));
    assert.doesNotThrow(() => checkJsonShape({ to: '+447700900000', text: '😀'.repeat(1530) }));
    assert.doesNotThrow(() => checkJsonShape({ kind: 'telemetry', data: Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`f${i}`, 'v'.repeat(1000)])) }));
    assert.equal(shapeLimits.maxDepth, 8);
  });
});

describe('refused commands in the log', () => {
  it('logs the first refusal, then at most one line per 10 s carrying the count refused in between, by code', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)));
    const clock = new ManualClock();
    const d = new CommandDispatcher({ topics: new DeviceTopics('edge-sms', 'pi-1'), groups: [], handlers: new FakeAgent(), clock, handlerTimeoutMs: 1000, maxInFlight: 4, maxPayloadBytes: 1024, log: pino({ level: 'info' }, stream) });
    for (let i = 0; i < 500; i++) await d.handle({ topic: 'edge-sms/pi-1/cmd/locate', payload: Buffer.from(i % 2 === 0 ? '{"fresh":"yes"}' : '{"timeoutSeconds":0}') });
    await d.handle({ topic: 'edge-sms/pi-1/cmd/report', payload: Buffer.alloc(2000, 0x20) });
    clock.advance(10_000);
    await d.handle({ topic: 'edge-sms/pi-1/cmd/locate', payload: Buffer.from('{"fresh":1}') });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lines.length, 2, JSON.stringify(lines));
    assert.equal(lines[0]?.['msg'], 'command refused');
    assert.deepEqual(lines[1]?.['refusedSinceLast'], { out_of_range: 251, invalid_payload: 249 }, '250 locate out of range and the oversize report; 249 mistyped after the first');
  });
});

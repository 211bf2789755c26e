import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceTopics } from '../../../src/mqtt/index.js';
import { ManualClock } from '../../fakes/manualClock.js';
import { CommandDispatcher } from '../../../src/mqtt/dispatcher.js';
import { silentLogger } from '../../../src/logger.js';
import { FakeAgent } from '../../fakes/agentHandlers.js';

function dispatcher(agent: FakeAgent, clock = new ManualClock()): CommandDispatcher {
  return new CommandDispatcher({ topics: new DeviceTopics('edge-sms', 'pi-1'), groups: ['g'], handlers: agent, clock, handlerTimeoutMs: 1000, maxInFlight: 1, maxPayloadBytes: 65536, log: silentLogger() });
}

describe('command dispatcher', () => {
  it('answers on the response topic with correlation data, or on cmd/<name>/response', async () => {
    const d = dispatcher(new FakeAgent());
    const v5 = await d.handle({ topic: 'edge-sms/pi-1/cmd/get-state', payload: Buffer.from('{}'), responseTopic: 'caller/x', correlationData: Buffer.from('c1') });
    assert.equal(v5?.topic, 'caller/x');
    assert.equal(v5?.correlationData?.toString(), 'c1');
    const v3 = await d.handle({ topic: 'edge-sms/all/cmd/get-state', payload: Buffer.from('{"requestId":"r1"}') });
    assert.equal(v3?.topic, 'edge-sms/pi-1/cmd/get-state/response');
    assert.equal(v3?.reply.requestId, 'r1');
    assert.equal(v3?.reply.deviceId, 'pi-1');
  });

  it('ignores topics that are not commands for this device', async () => {
    const d = dispatcher(new FakeAgent());
    assert.equal(await d.handle({ topic: 'edge-sms/pi-2/cmd/get-state', payload: Buffer.from('{}') }), undefined);
    assert.equal(await d.handle({ topic: 'edge-sms/group/h/cmd/get-state', payload: Buffer.from('{}') }), undefined);
    assert.equal(await d.handle({ topic: 'edge-sms/pi-1/state', payload: Buffer.from('{}') }), undefined);
  });

  it('answers busy beyond maxInFlight, and a timeout when the handler never answers', async () => {
    const clock = new ManualClock();
    const agent = new FakeAgent();
    agent.hangLocate = true;
    const d = dispatcher(agent, clock);
    const hanging = d.handle({ topic: 'edge-sms/pi-1/cmd/locate', payload: Buffer.from('{}') });
    const busy = await d.handle({ topic: 'edge-sms/pi-1/cmd/get-state', payload: Buffer.from('{"requestId":7}') });
    assert.equal(busy?.reply.status, 'error');
    assert.equal(busy?.reply.status === 'error' ? busy.reply.error.code : '', 'busy');
    assert.equal(busy?.reply.requestId, 7);
    clock.advance(1000);
    const timedOut = await hanging;
    assert.equal(timedOut?.reply.status === 'error' ? timedOut.reply.error.code : '', 'timeout');
    assert.equal(agent.calls.at(-1)?.context.signal.aborted, true, 'the handler was told to stop');
    assert.equal(clock.pending, 0);
  });
});

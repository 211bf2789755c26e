import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { commandNames, safeConfigKeys, validateCommand } from '../../../src/mqtt/index.js';
import { replyErrorFrom } from '../../../src/mqtt/replies.js';
import { AgentError, ErrorCode, hasErrorCode } from '../../../src/errors.js';

function refusal(run: () => unknown): { code: string; field?: string; message: string } {
  try {
    run();
  } catch (error) {
    assert.ok(hasErrorCode(error, ErrorCode.Mqtt_BadCommand), String(error));
    const reply = replyErrorFrom(error);
    return { code: reply.code, message: reply.message, ...(reply.field === undefined ? {} : { field: reply.field }) };
  }
  assert.fail('expected a refusal');
}

describe('command validators', () => {
  it('fill defaults for optional fields', () => {
    assert.deepEqual(validateCommand('send-sms', { to: '3725550000', text: 'hi' }), { to: '3725550000', text: 'hi', priority: 'normal', via: 'auto' });
    assert.deepEqual(validateCommand('locate', {}), { fresh: false, timeoutSeconds: 60 });
    assert.deepEqual(validateCommand('reboot-modem', {}), { hard: false });
    assert.deepEqual(validateCommand('queue', { action: 'list' }), { action: 'list', limit: 50 });
    assert.deepEqual(validateCommand('get-state', {}), {});
  });

  it('count text length in characters, not UTF-16 units or bytes', () => {
    assert.equal(validateCommand('send-sms', { to: '+3725550', text: '😀'.repeat(1530) }).text.length, 3060);
    assert.equal(refusal(() => validateCommand('send-sms', { to: '+3725550', text: 'a'.repeat(1531) })).code, 'out_of_range');
  });

  it('accept range edges and refuse one past them', () => {
    assert.equal(validateCommand('locate', { timeoutSeconds: 1 }).timeoutSeconds, 1);
    assert.equal(validateCommand('locate', { timeoutSeconds: 300 }).timeoutSeconds, 300);
    assert.deepEqual(refusal(() => validateCommand('locate', { timeoutSeconds: 301 })), { code: 'out_of_range', field: 'timeoutSeconds', message: 'timeoutSeconds: must be 1..300, got 301' });
    assert.equal(refusal(() => validateCommand('locate', { timeoutSeconds: Number.NaN })).code, 'invalid_payload');
  });

  it('set-config knows exactly the documented safe keys', () => {
    assert.deepEqual(safeConfigKeys, [
      'location.pollS',
      'location.minDistanceM',
      'location.maxIntervalS',
      'modem.fallbackAfterS',
      'mqtt.stateIntervalMs',
      'log.level',
    ]);
    assert.deepEqual(validateCommand('set-config', { values: { 'modem.fallbackAfterS': 0, 'mqtt.stateIntervalMs': 100 } }), {
      values: { 'modem.fallbackAfterS': 0, 'mqtt.stateIntervalMs': 100 },
    });
    assert.deepEqual(refusal(() => validateCommand('set-config', { values: { 'mqtt.url': 'mqtt://evil' } })).field, 'values.mqtt.url');
    assert.equal(refusal(() => validateCommand('set-config', { values: { 'log.level': 'verbose' } })).code, 'out_of_range');
    assert.equal(refusal(() => validateCommand('set-config', { values: 5 })).code, 'invalid_payload');
  });

  it('report checks the shape only: values are for the agent\'s one door policy', () => {
    // Field names and sizes pass here; the agent's door (src/agent/door.ts, test/unit/agent/door.test.ts) judges them for every way in.
    assert.deepEqual(validateCommand('report', { kind: 'telemetry', data: { 'bad key': 1 } }), { kind: 'telemetry', data: { 'bad key': 1 } });
    assert.equal(refusal(() => validateCommand('report', { kind: 'telemetry', data: { nested: { a: 1 } } })).code, 'invalid_payload');
    assert.equal(refusal(() => validateCommand('report', { kind: 'telemetry', data: [1] })).code, 'invalid_payload');
    assert.equal(refusal(() => validateCommand('report', { kind: 'telemetry', data: {}, to: [5] })).field, 'to[0]');
    assert.equal(validateCommand('report', { kind: 'alarm', data: {} }).priority, undefined, "the kind's policy decides");
  });

  it('the door\'s refusals become invalid_payload / out_of_range replies with the agent code and field', () => {
    const invalid = replyErrorFrom(new AgentError('field name "a.b" must match …', ErrorCode.Store_InvalidInput, { field: 'data.a.b' }));
    assert.deepEqual([invalid.code, invalid.field, invalid.agentCode], ['invalid_payload', 'data.a.b', ErrorCode.Store_InvalidInput]);
    const tooLarge = replyErrorFrom(new AgentError('needs 6 parts', ErrorCode.Report_TooLarge, {}));
    assert.deepEqual([tooLarge.code, tooLarge.agentCode], ['out_of_range', ErrorCode.Report_TooLarge]);
  });

  it('every command refuses an unknown field', () => {
    for (const name of commandNames) {
      const base: Record<string, unknown> =
        name === 'send-sms'
          ? { to: '+3725550', text: 'x' }
          : name === 'report'
            ? { kind: 'k', data: {} }
            : name === 'queue'
              ? { action: 'list' }
              : name === 'set-config'
                ? { values: { 'log.level': 'info' } }
                : {};
      validateCommand(name, base);
      assert.equal(refusal(() => validateCommand(name, { ...base, surprise: 1 })).field, 'surprise', name);
    }
  });

  it('turns handler failures into failed/timeout replies carrying the agent code', () => {
    assert.deepEqual(replyErrorFrom(new AgentError('no fix', ErrorCode.Modem_Timeout)), { code: 'failed', message: 'Modem_Timeout (300): no fix', agentCode: 300 });
    assert.equal(replyErrorFrom(new AgentError('slow', ErrorCode.Mqtt_Timeout)).code, 'timeout');
    assert.deepEqual(replyErrorFrom(new TypeError('boom')), { code: 'failed', message: 'boom' });
  });
});

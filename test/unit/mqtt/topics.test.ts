import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  commandTopic,
  commandTopicPattern,
  DeviceTopics,
  deviceRetainedTopicPattern,
  parseCommandTopic,
  responseTopicPattern,
} from '../../../src/mqtt/index.js';
import { isPublishableTopic, validatePrefix } from '../../../src/mqtt/topics.js';
import { ErrorCode, hasErrorCode } from '../../../src/errors.js';

describe('mqtt topics', () => {
  it('builds every device topic from the prefix and device id', () => {
    const topics = new DeviceTopics('acme/prod', 'pi-7');
    assert.equal(topics.status, 'acme/prod/pi-7/status');
    assert.equal(topics.state, 'acme/prod/pi-7/state');
    assert.equal(topics.event('link-down'), 'acme/prod/pi-7/events/link-down');
    assert.equal(topics.response('send-sms'), 'acme/prod/pi-7/cmd/send-sms/response');
    assert.deepEqual(topics.commandSubscriptions(['north', 'pumps']), [
      'acme/prod/pi-7/cmd/+',
      'acme/prod/all/cmd/+',
      'acme/prod/group/north/cmd/+',
      'acme/prod/group/pumps/cmd/+',
    ]);
  });

  it('refuses ids and prefixes that would put a wildcard, an empty level or a reserved word in a topic', () => {
    for (const id of ['', 'a/b', 'a+', '#', 'all', 'group', '-lead', 'x'.repeat(65), '$sys']) {
      assert.throws(() => new DeviceTopics('edge-sms', id), (e: unknown) => hasErrorCode(e, ErrorCode.Config_Invalid), id);
    }
    for (const prefix of ['', '/edge', 'edge/', 'a//b', 'a/+/b', 'a/#', '$SYS']) {
      assert.throws(() => validatePrefix(prefix), (e: unknown) => hasErrorCode(e, ErrorCode.Config_Invalid), prefix);
    }
    assert.throws(() => commandTopic('edge-sms', { kind: 'group', group: 'a/b' }, 'get-state'));
  });

  it('parses the three command forms with one anchored pattern, and nothing else', () => {
    const pattern = commandTopicPattern('acme/prod');
    assert.deepEqual(parseCommandTopic(pattern, 'acme/prod/pi-7/cmd/send-sms'), { target: { kind: 'device', deviceId: 'pi-7' }, name: 'send-sms' });
    assert.deepEqual(parseCommandTopic(pattern, 'acme/prod/all/cmd/get-state'), { target: { kind: 'all' }, name: 'get-state' });
    assert.deepEqual(parseCommandTopic(pattern, 'acme/prod/group/north/cmd/locate'), { target: { kind: 'group', group: 'north' }, name: 'locate' });
    for (const topic of [
      'acme/prod/pi-7/cmd/send-sms/response',
      'acme/prod/pi-7/cmd/',
      'acme/prod/pi-7/state',
      'xacme/prod/pi-7/cmd/a',
      'acme/prodx/pi-7/cmd/a',
      'other/acme/prod/pi-7/cmd/a',
      'acme/prod/group/cmd/a/b',
    ]) {
      assert.equal(parseCommandTopic(pattern, topic), undefined, topic);
    }
    // A prefix's regex characters are literal.
    assert.equal(parseCommandTopic(commandTopicPattern('a.b'), 'aXb/pi/cmd/x'), undefined);
  });

  it('round-trips command topics built by the fleet side', () => {
    const pattern = commandTopicPattern('edge-sms');
    for (const target of [{ kind: 'device', deviceId: 'pi-1' }, { kind: 'all' }, { kind: 'group', group: 'g1' }] as const) {
      assert.deepEqual(parseCommandTopic(pattern, commandTopic('edge-sms', target, 'queue')), { target, name: 'queue' });
    }
  });

  it('matches retained and response topics for the fleet view', () => {
    assert.deepEqual([...(deviceRetainedTopicPattern('edge-sms').exec('edge-sms/pi-1/state') ?? [])].slice(1), ['pi-1', 'state']);
    assert.equal(deviceRetainedTopicPattern('edge-sms').exec('edge-sms/pi-1/events/x'), null);
    assert.deepEqual([...(responseTopicPattern('edge-sms').exec('edge-sms/pi-1/cmd/locate/response') ?? [])].slice(1), ['pi-1', 'locate']);
  });

  it('never calls a wildcard or $ topic publishable', () => {
    for (const topic of ['a/+/b', 'a/#', '$SYS/x', '', 'a\u0000b']) assert.equal(isPublishableTopic(topic), false, topic);
    assert.equal(isPublishableTopic('reply/here'), true);
  });
});

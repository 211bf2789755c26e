import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { generate } from 'mqtt-packet';
import { guardPacketSize, PacketSizeScanner } from '../../../src/mqtt/packetSizeGuard.js';

function publish(payloadBytes: number): Buffer {
  return generate({ cmd: 'publish', topic: 'edge-sms/pi-1/cmd/report', payload: Buffer.alloc(payloadBytes, 0x61), qos: 1, messageId: 7, retain: false, dup: false });
}

describe('packet size guard', () => {
  it('follows MQTT framing across any split and passes packets within the limit', () => {
    const stream = Buffer.concat([publish(0), publish(100), publish(4000), Buffer.from([0xd0, 0x00]), publish(127), publish(128)]);
    for (const size of [1, 2, 3, 7, 64, stream.length]) {
      const scanner = new PacketSizeScanner(4100);
      for (let at = 0; at < stream.length; at += size) assert.deepEqual(scanner.push(stream.subarray(at, at + size)), { kind: 'ok' }, `chunks of ${size}`);
    }
  });

  it('refuses a packet from its header alone: a 30 MB PUBLISH is judged on its first 5 bytes', () => {
    const header = publish(30_000_000).subarray(0, 5);
    const scanner = new PacketSizeScanner(69_632);
    const result = scanner.push(Buffer.concat([publish(10), header]));
    assert.equal(result.kind, 'oversize');
    assert.equal(result.kind === 'oversize' ? result.type : 0, 3);
    assert.ok(result.kind === 'oversize' && result.bytes > 30_000_000);
    assert.equal(scanner.push(Buffer.from([0xd0, 0x00])).kind, 'oversize', 'the answer stays');
    assert.equal(new PacketSizeScanner(100).push(publish(200).subarray(0, 3)).kind, 'oversize', 'the type byte and a two-byte length are enough to judge');
  });

  it('calls a Remaining Length of five bytes malformed', () => {
    assert.deepEqual(new PacketSizeScanner(1 << 30).push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])), { kind: 'malformed' });
  });

  it('destroys the stream at the first oversize packet and tells once', () => {
    const stream = new PassThrough();
    const told: string[] = [];
    guardPacketSize(stream, 1000, (result) => told.push(result.kind));
    stream.write(publish(10));
    assert.equal(stream.destroyed, false);
    stream.write(publish(5000).subarray(0, 10));
    assert.equal(stream.destroyed, true);
    assert.deepEqual(told, ['oversize']);
  });
});

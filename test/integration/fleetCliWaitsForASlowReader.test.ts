/**
 * `fleet ls` into a slow reader (a pager, a slow pipe): the broker is held back (the socket paused
 * while stdout is full) instead of the CLI buffering the fleet, and the listing is still complete,
 * because a pause is not mistaken for the end of the retained messages.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable, PassThrough } from 'node:stream';
import { connectAsync } from 'mqtt';
import { main } from '../../src/cli/main.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { sampleSnapshot } from '../fakes/agentHandlers.js';

const devices = 1500;

/** A stdout that takes each chunk after `delayMs` and records the most it ever held unwritten. */
class SlowReader extends Writable {
  lines = 0;
  mostBuffered = 0;
  constructor(private readonly delayMs: number) {
    super({ highWaterMark: 16 * 1024 });
  }
  override write(chunk: unknown, ...rest: never[]): boolean {
    const ok = super.write(chunk, ...rest);
    this.mostBuffered = Math.max(this.mostBuffered, this.writableLength);
    return ok;
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.lines += chunk.toString('utf8').split('\n').length - 1;
    setTimeout(callback, this.delayMs);
  }
}

describe('fleet ls into a slow reader', () => {
  let broker: Mosquitto;
  let totalBytes = 0;

  before(async () => {
    broker = await Mosquitto.start();
    const client = await connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 }, false);
    for (let i = 0; i < devices; i++) {
      const id = `slow-${String(i).padStart(5, '0')}`;
      const state = JSON.stringify({ ...sampleSnapshot(), deviceId: id, publishedAt: new Date().toISOString() });
      totalBytes += state.length;
      client.publish(`edge-sms/${id}/status`, 'online', { qos: 0, retain: true });
      client.publish(`edge-sms/${id}/state`, state, { qos: 0, retain: true });
    }
    await client.publishAsync('edge-sms/_done', 'x', { qos: 1 });
    await client.endAsync();
  });
  after(async () => {
    await broker.stop();
  });

  it('lists every device, and never holds more than a socket read of them unwritten', async (t) => {
    const stdout = new SlowReader(2);
    const code = await main(['fleet', 'ls', '--mqtt', broker.url, '--json', '--settle', '300', '--timeout', '120000'], { stdout, stderr: new PassThrough() });
    assert.equal(code, 0);
    await new Promise<void>((resolve) => stdout.end(resolve));
    assert.equal(stdout.lines, devices, 'a pause for the reader is not the end of the list');
    // Without flow control the whole fleet (~1.5 MB here) would wait in stdout's buffer.
    t.diagnostic(`stdout held at most ${stdout.mostBuffered} bytes unwritten; the fleet's states are ${totalBytes} bytes`);
    assert.ok(stdout.mostBuffered < totalBytes / 4, `held at most ${stdout.mostBuffered} bytes of ${totalBytes}`);
  });
});

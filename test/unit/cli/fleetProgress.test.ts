import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { FleetProgress } from '../../../src/cli/fleetProgress.js';

function stderr(tty: boolean): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  Object.assign(stream, { isTTY: tty });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('fleet progress on stderr', () => {
  it('on a terminal: a live count rewritten in place, cleared before the final line', async () => {
    const err = stderr(true);
    const progress = new FleetProgress(err.stream, 'devices');
    for (let i = 0; i < 42; i++) progress.tick();
    const deadline = Date.now() + 5000;
    while (!err.text().includes('42 devices…') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    progress.finish('42 devices (42 online, 0 offline, 0 unknown)');
    assert.ok(err.text().startsWith('\r\x1b[K42 devices…'), JSON.stringify(err.text()));
    assert.ok(err.text().endsWith('\r\x1b[K42 devices (42 online, 0 offline, 0 unknown)\n'), JSON.stringify(err.text()));
  });

  it('into a pipe or a log: only the final count', async () => {
    const err = stderr(false);
    const progress = new FleetProgress(err.stream, 'replies');
    progress.tick();
    await new Promise((resolve) => setImmediate(resolve));
    progress.finish('1 replies (1 ok, 0 error)');
    progress.stop();
    assert.equal(err.text(), '1 replies (1 ok, 0 error)\n');
  });
});

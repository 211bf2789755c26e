import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { SummarisedLog } from '../../../src/summaryLog.js';

/** A pino logger whose lines are collected as parsed objects. */
function collectingLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

describe('SummarisedLog (warnings a peer can provoke at will)', () => {
  it('logs the first at once, then one line per interval carrying the count by code', () => {
    const { logger, lines } = collectingLogger();
    let now = 0;
    const log = new SummarisedLog(logger, { now: () => now }, 'undecodableSinceLast', 10_000);
    log.note('smpp', { from: '1' }, 'undecodable');
    for (let i = 0; i < 500; i += 1) {
      now += 10;
      log.note(i % 5 === 0 ? 'modem' : 'smpp', { from: String(i) }, 'undecodable');
    }
    assert.equal(lines.length, 1, 'one line for 501 in 5 s');
    now = 10_001;
    log.note('smpp', { from: 'last' }, 'undecodable');
    assert.equal(lines.length, 2);
    assert.equal(lines[1]?.['from'], 'last');
    assert.equal(lines[1]?.['code'], 'smpp');
    assert.equal(lines[1]?.['level'], 40, 'at warn');
    // The 500 noted in between: every fifth from the modem.
    assert.deepEqual(lines[1]?.['undecodableSinceLast'], { modem: 100, smpp: 400 });
    now = 30_000;
    log.note('modem', {}, 'undecodable');
    assert.equal(lines.length, 3);
    assert.equal(lines[2]?.['undecodableSinceLast'], undefined, 'nothing in between, no count');
  });
});

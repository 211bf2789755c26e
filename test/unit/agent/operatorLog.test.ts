/** OperatorLog's summaries: the first final failure at once, the rest counted into one line per kind per window. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../../../src/logger.js';
import { OperatorLog } from '../../../src/agent/runtime/operatorLog.js';

function capture(): { lines: Array<Record<string, unknown>>; log: Logger } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)));
  const log: Logger = pino({ level: 'info' }, stream);
  return { lines, log };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('OperatorLog', () => {
  it('summarises final failures and drops: one line at once, then one per window with counts by reason', async () => {
    const { lines, log } = capture();
    let now = 1_000_000;
    const narrator = new OperatorLog(log, { queued: () => 7, summaryMs: 60_000, now: () => now });
    const failed = (reason: string): void => narrator.event({ type: 'report-failed', ids: ['1', '2'], link: 'smpp', messageId: '1', reason, final: true });
    failed('ESME_RINVDSTADR');
    narrator.event({ type: 'report-failed', ids: ['3'], link: 'smpp', messageId: '2', reason: 'ESME_RTHROTTLED', final: false });
    for (let n = 0; n < 100; n++) failed(n % 2 === 0 ? 'ESME_RINVDSTADR' : 'ESME_RSUBMITFAIL');
    narrator.event({ type: 'report-dropped', ids: [], count: 500, reason: 'cap-rows' });
    now += 30_000;
    narrator.stop();
    await settle();
    const summaries = lines.filter((line) => line['event'] === 'reports-failed');
    assert.equal(summaries.length, 2, 'the first at once, the other hundred in one line');
    assert.deepEqual(summaries.map((line) => line['count']), [2, 200]);
    assert.deepEqual(summaries[1]?.['byReason'], { ESME_RINVDSTADR: 100, ESME_RSUBMITFAIL: 100 });
    assert.equal(lines.filter((line) => line['event'] === 'reports-dropped').length, 1);
    assert.ok(lines.every((line) => line['level'] === 40));
  });

  it('tells an outage with its counts and the fallback once; the first bind ends no outage', async () => {
    const { lines, log } = capture();
    const narrator = new OperatorLog(log, { queued: () => 3 });
    narrator.event({ type: 'link-up', link: 'smpp' });
    narrator.event({ type: 'outage-ended', link: 'smpp', durationSeconds: 2 });
    narrator.event({ type: 'link-down', link: 'smpp', reason: 'connection reset' });
    narrator.event({ type: 'outage-began', link: 'smpp' });
    for (let n = 0; n < 3; n++) narrator.event({ type: 'report-submitted', ids: [String(n)], link: 'modem', priority: 'critical', messageId: String(n), refs: ['7'] });
    narrator.event({ type: 'outage-ended', link: 'smpp', durationSeconds: 40 });
    narrator.stop();
    await settle();
    assert.deepEqual(lines.map((line) => line['event']), ['link-up', 'link-down', 'outage-began', 'fallback', 'outage-ended']);
    assert.equal(lines.find((line) => line['event'] === 'outage-ended')?.['viaModem'], 3);
    assert.equal(lines.find((line) => line['event'] === 'outage-began')?.['queued'], 3);
  });
});

/**
 * A message build the intake journal holds (BuiltMessages.restore, via Outbox.restoreJournaled): put
 * back as built only when its group was lost (its message missing, every report it carried still
 * queued); passed over in silence when it committed and moved on; said at warn when it can no
 * longer go out as built.
 */
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import type { JournaledBuild } from '../../../src/store/intakeJournal.js';
import { openTestStore, type TestStore } from './_helpers.js';

const opened: TestStore[] = [];
afterEach(() => opened.splice(0).forEach((store) => store.cleanup()));

function withLog(): { store: TestStore; warnings: () => string[] } {
  const lines: Array<{ level: number; msg: string }> = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n').map((l) => JSON.parse(l) as { level: number; msg: string })));
  const store = openTestStore({ outbox: { logger: pino({ level: 'info' }, stream) } });
  opened.push(store);
  return { store, warnings: () => lines.filter((line) => line.level >= 40).map((line) => line.msg) };
}

const build = (messageId: number, reportIds: number[], seq = 41): JournaledBuild =>
  ({ messageId, seq, link: 'smpp', destination: '+447700900000', format: 'report-text', payload: `ESA1 seq ${seq}`, reportIds, at: Date.UTC(2026, 0, 1) });

describe('restoring journaled builds', () => {
  it('a lost build comes back as built: its id, sequence number and payload, its reports sending; the next build takes the next number', () => {
    const { store } = withLog();
    const ids = ['a', 'b'].map((payload) => store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload }).id ?? -1);
    // The lost build took the counter's number; its bump was lost with it.
    const seq = store.outbox.peekNextSeq();
    assert.equal(store.outbox.restoreJournaled([build(7, ids, seq)]), 1);
    const message = store.db.prepare('SELECT id, state, seq, CAST(payload AS TEXT) AS payload FROM messages').get();
    assert.deepEqual(message, { id: 7, state: 'sending', seq, payload: `ESA1 seq ${seq}` });
    assert.deepEqual(ids.map((id) => store.outbox.get(id)?.state), ['sending', 'sending']);
    assert.equal(store.outbox.peekNextSeq(), seq + 1, 'the sequence number is not handed out again');
  });

  it('a build that committed and moved on (its message pruned since, its reports delivered or gone) is passed over in silence', () => {
    const { store, warnings } = withLog();
    const ids = ['a', 'b'].map((payload) => store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload }).id ?? -1);
    const built = store.outbox.buildMessage(ids, 'smpp', (seq) => ({ destination: '+447700900000', payload: `ESA1 seq ${seq}`, format: 'report-text' }));
    store.outbox.submitted(built.messageId, ['m1']);
    store.db.prepare('DELETE FROM messages WHERE id = ?').run(built.messageId);
    assert.equal(store.outbox.restoreJournaled([build(built.messageId, ids, built.seq), build(99, [1234, 1235])]), 0);
    assert.equal(store.db.prepare('SELECT count(*) FROM messages').pluck().get(), 0, 'nothing put back');
    assert.deepEqual(warnings(), []);
  });

  it('a lost build whose reports were partly purged meanwhile is not restored, and that is said at warn', () => {
    const { store, warnings } = withLog();
    const ids = ['a', 'b'].map((payload) => store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload }).id ?? -1);
    store.db.prepare('DELETE FROM reports WHERE id = ?').run(ids[1]);
    assert.equal(store.outbox.restoreJournaled([build(7, ids)]), 0);
    assert.equal(store.outbox.get(ids[0] ?? -1)?.state, 'queued', 'the report left goes out in a new message');
    assert.equal(warnings().length, 1);
    assert.match(warnings()[0] ?? '', /could not be restored as built/);
  });
});

import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openSync, readFileSync, statSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { IntakeJournal, isBuild, journalPathOf, type JournalEntry, type JournaledBuild } from '../../../src/store/intakeJournal.js';
import { openStore } from '../../../src/store/index.js';
import { tempDir } from './_helpers.js';

const entry = (id: number, payload: string | Uint8Array = `t=${id}`): JournalEntry => ({ id, input: { kind: 'telemetry', priority: 'normal', payload } });

describe('intake journal', () => {
  it('reads back what was appended, binary payloads and destinations included, in 512-byte sectors', () => {
    const { dir, remove } = tempDir();
    try {
      const path = join(dir, 'j');
      const journal = new IntakeJournal(path, 'each', 64 * 1024);
      journal.append([entry(1), entry(2, new Uint8Array([0, 255, 7]))]);
      journal.append([{ id: 3, input: { kind: 'alarm', priority: 'high', payload: 'x', destinations: ['+447700900001'], ttlMs: 5000 } }]);
      journal.close();
      assert.equal(statSync(path).size, 64 * 1024, 'preallocated once, never grown');
      const read = IntakeJournal.read(path);
      assert.deepEqual(read.map((e) => e.id), [1, 2, 3]);
      assert.deepEqual(read[1]?.input.payload, new Uint8Array([0, 255, 7]));
      assert.deepEqual(read[2]?.input, { kind: 'alarm', priority: 'high', payload: 'x', destinations: ['+447700900001'], ttlMs: 5000 });
    } finally {
      remove();
    }
  });

  it('keeps builds with the readings, in the order written: read() gives the readings, readItems() both', () => {
    const { dir, remove } = tempDir();
    try {
      const path = join(dir, 'j');
      const journal = new IntakeJournal(path, 'flush', 64 * 1024);
      const build: JournaledBuild = { messageId: 7, seq: 4_294_967_295, link: 'modem', destination: '+447700900000', format: 'report-binary', payload: new Uint8Array([1, 0, 255]), reportIds: [1, 2], at: 1_800_000_000_000 };
      journal.append([entry(1), entry(2)]);
      journal.append([build]);
      journal.append([entry(3)]);
      journal.flush();
      journal.close();
      const items = IntakeJournal.readItems(path);
      assert.deepEqual(items.map((item) => (isBuild(item) ? `m${item.messageId}` : item.id)), [1, 2, 'm7', 3]);
      assert.deepEqual(items[2], build);
      assert.deepEqual(IntakeJournal.read(path).map((e) => e.id), [1, 2, 3]);
    } finally {
      remove();
    }
  });

  it('stops at a torn record, and after a restart never takes the older run behind the new one for new', () => {
    const { dir, remove } = tempDir();
    try {
      const path = join(dir, 'j');
      const journal = new IntakeJournal(path, 'each', 64 * 1024);
      for (let id = 1; id <= 5; id++) journal.append([entry(id)]);
      journal.restart();
      journal.append([entry(6)]);
      journal.close();
      assert.deepEqual(IntakeJournal.read(path).map((e) => e.id), [6], 'records 2..5 of the older epoch follow record 0 of the new one and are not read');
      // A torn write: the second record of a fresh run damaged in place.
      const again = new IntakeJournal(path, 'each', 64 * 1024);
      again.append([entry(7)]);
      again.append([entry(8)]);
      again.append([entry(9)]);
      again.close();
      const fd = openSync(path, 'r+');
      writeSync(fd, Buffer.from('garbage'), 0, 7, 512 + 40);
      closeSync(fd);
      assert.deepEqual(IntakeJournal.read(path).map((e) => e.id), [7]);
    } finally {
      remove();
    }
  });

  it('the agent store: readings acknowledged in an uncommitted group come back, with their ids, after the process is killed', () => {
    const { dir, remove } = tempDir();
    try {
      const dbPath = join(dir, 'agent.db');
      // A child enqueues through the grouped intake and kills itself with SIGKILL before the group commits.
      const child = `
        import { openStore } from ${JSON.stringify(new URL('../../../src/store/index.ts', import.meta.url).pathname)};
        const store = openStore({ path: ${JSON.stringify(dbPath)}, recoverSending: true, intakeJournal: true });
        const ids = [];
        for (let i = 0; i < 3; i++) ids.push(store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'r' + i }).id);
        process.stdout.write(JSON.stringify(ids));
        process.kill(process.pid, 'SIGKILL');`;
      let out = '';
      try {
        execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child], { encoding: 'utf8' });
      } catch (error) {
        out = String((error as { stdout?: string }).stdout ?? '');
      }
      const acknowledged = JSON.parse(out) as number[];
      assert.equal(acknowledged.length, 3);
      const before = new Database(dbPath, { readonly: true });
      const committed = (before.prepare('SELECT count(*) FROM reports').pluck().get() as number);
      before.close();
      assert.equal(committed, 0, 'the group never committed: the rows are only in the journal');
      const store = openStore({ path: dbPath, recoverSending: true, intakeJournal: true });
      try {
        const rows = store.db.prepare('SELECT id, payload FROM reports ORDER BY id').all() as Array<{ id: number; payload: Buffer }>;
        assert.deepEqual(rows.map((row) => row.id), acknowledged);
        assert.deepEqual(rows.map((row) => row.payload.toString()), ['r0', 'r1', 'r2']);
        const next = store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'after' }).id;
        assert.equal(next, Math.max(...acknowledged) + 1, 'new ids continue above the restored ones');
      } finally {
        store.close();
      }
      // Restored and closed cleanly: a further start restores nothing twice.
      const reopened = openStore({ path: dbPath, recoverSending: true, intakeJournal: true });
      try {
        assert.equal(reopened.db.prepare('SELECT count(*) FROM reports').pluck().get(), 4);
      } finally {
        reopened.close();
      }
      assert.ok(readFileSync(journalPathOf(dbPath)).length > 0);
    } finally {
      remove();
    }
  });

  it('groups enqueues in one transaction that any other write commits first; a CLI client does not journal', () => {
    const { dir, remove } = tempDir();
    try {
      const dbPath = join(dir, 'agent.db');
      const store = openStore({ path: dbPath, recoverSending: true, intakeJournal: true });
      try {
        store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'a' });
        assert.equal(store.db.inTransaction, true, 'the group stays open after the enqueue');
        const other = new Database(dbPath, { readonly: true });
        assert.equal(other.prepare('SELECT count(*) FROM reports').pluck().get(), 0, 'another connection does not see it yet');
        store.outbox.peekDue({ limit: 10, link: 'smpp' });
        store.outbox.resendable(10, 'smpp');
        assert.equal(store.db.inTransaction, true, 'reads (a transaction that changed nothing) leave the group open');
        const [claimed] = store.outbox.claim({ limit: 1, link: 'smpp' });
        assert.equal(store.db.inTransaction, false, 'a write (the claim) committed the group with it');
        assert.equal(other.prepare('SELECT state FROM reports').pluck().get(), 'sending', 'both the reading and its claim are committed');
        assert.ok(claimed !== undefined);
        other.close();
      } finally {
        store.close();
      }
      const client = openStore({ path: dbPath, recoverSending: false, intakeJournal: true });
      try {
        client.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'b' });
        assert.equal(client.db.inTransaction, false, 'a client commits each enqueue');
      } finally {
        client.close();
      }
    } finally {
      remove();
    }
  });

  it('a message build rides the group: its journal record is written before it returns, the group stays open', () => {
    const { dir, remove } = tempDir();
    try {
      const dbPath = join(dir, 'agent.db');
      const store = openStore({ path: dbPath, recoverSending: true, intakeJournal: true, durability: 'batched' });
      try {
        const ids = [1, 2].map((n) => store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: `r${n}` }).id ?? -1);
        const built = store.outbox.buildMessage(ids, 'smpp', (seq) => ({ destination: '+447700900000', payload: `ESA1 seq ${seq}`, format: 'report-text' }));
        assert.equal(store.db.inTransaction, true, 'the build did not commit the group');
        const journaled = IntakeJournal.readItems(journalPathOf(dbPath)).filter(isBuild);
        assert.deepEqual(journaled.map(({ messageId, seq, payload, reportIds }) => ({ messageId, seq, payload, reportIds })),
          [{ messageId: built.messageId, seq: built.seq, payload: built.payload, reportIds: ids }]);
        // Builds in quick succession (a drain): each commits the group before it, with what rode with it.
        const other = new Database(dbPath, { readonly: true });
        const buildOne = (payload: string): void => {
          const id = store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload }).id ?? -1;
          store.outbox.buildMessage([id], 'smpp', (seq) => ({ destination: '+447700900000', payload: `ESA1 seq ${seq}`, format: 'report-text' }));
        };
        try {
          assert.equal(other.prepare('SELECT count(*) FROM messages').pluck().get(), 0, 'the first build waits in the group');
          buildOne('r3');
          assert.equal(other.prepare('SELECT count(*) FROM messages').pluck().get(), 1, 'a second build right after committed the first');
          assert.equal(store.db.inTransaction, true, 'and opened a new group');
        } finally {
          other.close();
        }
      } finally {
        store.close();
      }
    } finally {
      remove();
    }
  });

  it('builds far apart share a group: four in full, sixteen in batched (its 300 s group holds ~10 at one reading a second)', () => {
    const committedAfterSixBuilds = (durability: 'full' | 'batched'): number[] => {
      const { dir, remove } = tempDir();
      mock.timers.enable({ apis: ['Date'], now: Date.now() });
      try {
        const dbPath = join(dir, 'agent.db');
        const store = openStore({ path: dbPath, recoverSending: true, intakeJournal: true, durability, groupMs: 600_000 });
        const other = new Database(dbPath, { readonly: true });
        try {
          const seen: number[] = [];
          for (let n = 1; n <= 6; n++) {
            // 6 s apart: not a drain (builds within 5 s commit the group whatever the count).
            mock.timers.tick(6000);
            const id = store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: `r${n}` }).id ?? -1;
            store.outbox.buildMessage([id], 'smpp', (seq) => ({ destination: '+447700900000', payload: `ESA1 seq ${seq}`, format: 'report-text' }));
            seen.push(other.prepare('SELECT count(*) FROM messages').pluck().get() as number);
          }
          return seen;
        } finally {
          other.close();
          store.close();
        }
      } finally {
        mock.timers.reset();
        remove();
      }
    };
    assert.deepEqual(committedAfterSixBuilds('full'), [0, 0, 0, 0, 4, 4], 'the fifth build commits the four before it');
    assert.deepEqual(committedAfterSixBuilds('batched'), [0, 0, 0, 0, 0, 0]);
  });

  it('a group commit that fails on its timer is handed to onBackgroundError, and its readings go back in with the next one', async () => {
    const { dir, remove } = tempDir();
    try {
      const dbPath = join(dir, 'agent.db');
      const errors: unknown[] = [];
      const store = openStore({ path: dbPath, recoverSending: true, intakeJournal: true, groupMs: 50, onBackgroundError: (error) => errors.push(error) });
      try {
        const first = store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'kept by the journal' }).id;
        // A deferred foreign-key violation inside the open group makes its COMMIT fail, as a full or damaged file would.
        store.db.pragma('defer_foreign_keys = ON');
        store.db.prepare(`INSERT INTO message_refs (link, ref, message_id, part) VALUES ('smpp', 'x', 999999, 0)`).run();
        for (const deadline = Date.now() + 5000; errors.length === 0 && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 20));
        assert.equal(errors.length, 1, 'the failed timer commit reached onBackgroundError');
        assert.match(String((errors[0] as Error).message), /FOREIGN KEY/);
        const second = store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'next' }).id;
        assert.deepEqual(store.db.prepare('SELECT id FROM reports ORDER BY id').pluck().all(), [first, second], 'the lost reading was restored under its id before the next');
        assert.equal(store.db.prepare('SELECT count(*) FROM message_refs').pluck().get(), 0, 'the bad row went with the lost group');
      } finally {
        store.close();
      }
    } finally {
      remove();
    }
  });

  it('full: the group is committed durably, the mark hook runs and the journal starts again; nothing is lost across restarts', () => {
    const { dir, remove } = tempDir();
    try {
      const dbPath = join(dir, 'agent.db');
      let restarts = 0;
      // Four sectors, a one-reading record each, after the empty record every open starts the journal with:
      // the fourth reading finds it full, goes in with a durable commit of the group instead, and the journal
      // starts again (so again at the ninth).
      const store = openStore({ path: dbPath, recoverSending: true, intakeJournal: true, intakeJournalBytes: 4 * 512, beforeJournalRestart: () => restarts++ });
      const ids: number[] = [];
      try {
        for (let i = 0; i < 11; i++) ids.push(store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: `r${i}` }).id ?? -1);
        assert.equal(restarts, 2, 'full at the fourth and the ninth reading: two restarts');
        const other = new Database(dbPath, { readonly: true });
        assert.equal(other.prepare('SELECT count(*) FROM reports').pluck().get(), 9, 'the first nine committed by the restarts; the last two wait in the group');
        other.close();
        assert.deepEqual(IntakeJournal.read(journalPathOf(dbPath)).map((e) => e.id), [ids[9], ids[10]], 'the journal holds only what came after (the older run behind it is not read)');
      } finally {
        store.close();
      }
      const reopened = openStore({ path: dbPath, recoverSending: true, intakeJournal: true, intakeJournalBytes: 4 * 512 });
      try {
        assert.deepEqual(reopened.db.prepare('SELECT id FROM reports ORDER BY id').pluck().all(), ids);
      } finally {
        reopened.close();
      }
    } finally {
      remove();
    }
  });

  it('a reading whose acknowledged id another process took while the agent was down comes back under a new id', () => {
    const { dir, remove } = tempDir();
    try {
      const dbPath = join(dir, 'agent.db');
      const journal = new IntakeJournal(journalPathOf(dbPath), 'each');
      journal.append([entry(1, 'agent reading')]);
      journal.close();
      // The agent died before its group committed; a CLI client then wrote and got id 1.
      const client = openStore({ path: dbPath, recoverSending: false });
      assert.equal(client.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'cli reading' }).id, 1);
      client.close();
      const store = openStore({ path: dbPath, recoverSending: true, intakeJournal: true });
      try {
        const rows = store.db.prepare('SELECT id, CAST(payload AS TEXT) AS payload FROM reports ORDER BY id').all();
        assert.deepEqual(rows, [{ id: 1, payload: 'cli reading' }, { id: 2, payload: 'agent reading' }]);
      } finally {
        store.close();
      }
      const again = openStore({ path: dbPath, recoverSending: true, intakeJournal: true });
      try {
        assert.equal(again.db.prepare('SELECT count(*) FROM reports').pluck().get(), 2, 'not restored twice');
      } finally {
        again.close();
      }
    } finally {
      remove();
    }
  });
});

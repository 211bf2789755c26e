/**
 * Versioned schema. `PRAGMA user_version` holds the version; each migration runs with the
 * version bump in one IMMEDIATE transaction, so two processes opening a fresh file at once
 * cannot both apply it, and a crash mid-migration leaves the old schema intact.
 * Never edit a released migration: append a new one.
 */
import type Database from 'better-sqlite3';
import { AgentError, ErrorCode } from '../errors.js';
import { reportStates } from './types.js';

interface Migration {
  readonly version: number;
  readonly sql: string;
}

const states = reportStates.map((state) => `'${state}'`).join(',');
const statesJson = JSON.stringify(reportStates);

const migrations: readonly Migration[] = [
  {
    version: 1,
    sql: `
      -- An outgoing message: what went over a link in one submission (one or more SMS parts).
      -- Reports point to the message that carries them, so one acknowledgement settles every
      -- report a batched message carries (the report wire format packs many readings into one).
      CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('sending','submitted','delivered','failed','requeued')),
        link TEXT NOT NULL CHECK (link IN ('smpp','modem')),
        part_count INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        submitted_at INTEGER,
        receipt_due_at INTEGER,
        finished_at INTEGER,
        last_error TEXT
      );
      CREATE INDEX messages_receipt_due ON messages (receipt_due_at) WHERE state = 'submitted' AND receipt_due_at IS NOT NULL;

      -- The link's own reference for each part: SMPP message_id or the modem's TP-MR.
      -- Receipts arrive per part and find their message here.
      CREATE TABLE message_refs (
        link TEXT NOT NULL,
        ref TEXT NOT NULL,
        message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        part INTEGER NOT NULL,
        outcome TEXT CHECK (outcome IN ('delivered','failed')),
        PRIMARY KEY (link, ref, message_id)
      ) WITHOUT ROWID;
      CREATE INDEX message_refs_message ON message_refs (message_id);

      -- No AUTOINCREMENT: it costs a write of sqlite_sequence per insert (SD wear). Ids are reused
      -- only if the newest row is deleted, and no other table remembers a deleted report's id.
      CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 3),
        state TEXT NOT NULL CHECK (state IN (${states})),
        payload BLOB NOT NULL,
        payload_is_text INTEGER NOT NULL,
        destinations TEXT NOT NULL DEFAULT '',
        bytes INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        message_id INTEGER REFERENCES messages (id) ON DELETE SET NULL,
        last_error TEXT,
        error_class TEXT CHECK (error_class IN ('throttled','temporary','permanent'))
      );
      -- Each index is written at every enqueue, so there are few. Drain order (priority, then
      -- oldest), cap victims (oldest of a priority) and pruning (old rows of a state) walk this one:
      CREATE INDEX reports_queue ON reports (state, priority, created_at, id);
      -- Coalescing (newest N queued of a kind) and listing by kind:
      CREATE INDEX reports_kind ON reports (kind, state, created_at);
      CREATE INDEX reports_message ON reports (message_id) WHERE message_id IS NOT NULL;
      CREATE INDEX reports_expiry ON reports (expires_at) WHERE state = 'queued' AND expires_at IS NOT NULL;

      -- Rows and bytes per (state, priority), kept by triggers so caps and stats never scan the table.
      CREATE TABLE totals (
        state TEXT NOT NULL,
        priority INTEGER NOT NULL,
        rows INTEGER NOT NULL DEFAULT 0,
        bytes INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (state, priority)
      ) WITHOUT ROWID;
      INSERT INTO totals (state, priority)
        SELECT s.value, p.value FROM json_each('${statesJson}') s, json_each('[0,1,2,3]') p;
      CREATE TRIGGER reports_totals_insert AFTER INSERT ON reports BEGIN
        UPDATE totals SET rows = rows + 1, bytes = bytes + NEW.bytes WHERE state = NEW.state AND priority = NEW.priority;
      END;
      CREATE TRIGGER reports_totals_delete AFTER DELETE ON reports BEGIN
        UPDATE totals SET rows = rows - 1, bytes = bytes - OLD.bytes WHERE state = OLD.state AND priority = OLD.priority;
      END;
      CREATE TRIGGER reports_totals_update AFTER UPDATE OF state, priority, bytes ON reports BEGIN
        UPDATE totals SET rows = rows - 1, bytes = bytes - OLD.bytes WHERE state = OLD.state AND priority = OLD.priority;
        UPDATE totals SET rows = rows + 1, bytes = bytes + NEW.bytes WHERE state = NEW.state AND priority = NEW.priority;
      END;

      -- Every report that left the queue unsent, counted (never silent). Survives restarts.
      CREATE TABLE drops (
        reason TEXT NOT NULL,
        priority INTEGER NOT NULL,
        kind TEXT NOT NULL,
        count INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        last_at INTEGER NOT NULL,
        PRIMARY KEY (reason, priority, kind)
      ) WITHOUT ROWID;

      -- Inbox: MO messages and receipts, whole (reassembled) or single-part.
      CREATE TABLE inbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        type TEXT NOT NULL CHECK (type IN ('mo','receipt')),
        link TEXT NOT NULL CHECK (link IN ('smpp','modem')),
        sender TEXT NOT NULL,
        recipient TEXT NOT NULL DEFAULT '',
        payload BLOB NOT NULL,
        payload_is_text INTEGER NOT NULL,
        sent_at INTEGER,
        received_at INTEGER NOT NULL,
        dedup_key TEXT NOT NULL,
        part_count INTEGER NOT NULL DEFAULT 1,
        concat_ref INTEGER,
        receipt_ref TEXT,
        receipt_outcome TEXT,
        handled_at INTEGER
      );
      CREATE INDEX inbox_dedup ON inbox (dedup_key, received_at);
      CREATE INDEX inbox_received ON inbox (received_at);
      CREATE INDEX inbox_unhandled ON inbox (id) WHERE handled_at IS NULL;
      -- A part re-delivered after its message was reassembled is recognised through this.
      CREATE INDEX inbox_concat ON inbox (sender, concat_ref, received_at) WHERE concat_ref IS NOT NULL;

      -- Parts of concatenated MO messages waiting for their siblings.
      CREATE TABLE inbox_parts (
        link TEXT NOT NULL,
        sender TEXT NOT NULL,
        concat_ref INTEGER NOT NULL,
        part_count INTEGER NOT NULL,
        part_number INTEGER NOT NULL,
        recipient TEXT NOT NULL DEFAULT '',
        payload BLOB NOT NULL,
        payload_is_text INTEGER NOT NULL,
        sent_at INTEGER,
        received_at INTEGER NOT NULL,
        PRIMARY KEY (link, sender, concat_ref, part_count, part_number)
      ) WITHOUT ROWID;
      CREATE INDEX inbox_parts_received ON inbox_parts (received_at);
    `,
  },
  {
    version: 2,
    sql: `
      -- A message as built (issue 7): the payload, its destination and format, and the report
      -- sequence number it carries. A message that failed or was cut off by a crash is re-sent
      -- byte for byte, so the centre's (device, seq) check removes whole duplicates.
      ALTER TABLE messages ADD COLUMN seq INTEGER;
      ALTER TABLE messages ADD COLUMN destination TEXT;
      ALTER TABLE messages ADD COLUMN format TEXT CHECK (format IN ('report-text','report-binary','sms'));
      ALTER TABLE messages ADD COLUMN payload BLOB;
      ALTER TABLE messages ADD COLUMN payload_is_text INTEGER;
      CREATE INDEX messages_requeued ON messages (id) WHERE state = 'requeued' AND payload IS NOT NULL;
      -- When the next retry is due: only retried reports are in it, so enqueues do not write it.
      CREATE INDEX reports_backoff ON reports (next_attempt_at) WHERE state = 'queued' AND error_class IS NOT NULL;

      -- Persistent counters. The report sequence starts at the unix time the database was created,
      -- so a device whose database is replaced carries on above every number it used before
      -- (unless it sent more than one message a second on average), and the centre does not
      -- mistake new messages for duplicates.
      CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO counters (name, value) VALUES ('report_seq', CAST(strftime('%s', 'now') AS INTEGER));
    `,
  },
  {
    version: 3,
    sql: `
      -- created_at is when a message was first built and never changes, so its age and history
      -- survive re-sends; last_attempt_at is when it last started going out (its build, or the
      -- latest re-send). Under schema 2 a re-send overwrote created_at, so for existing rows
      -- created_at already holds the latest start: it is the best value we have for both.
      ALTER TABLE messages ADD COLUMN last_attempt_at INTEGER;
      UPDATE messages SET last_attempt_at = created_at;
    `,
  },
  {
    version: 4,
    sql: `
      -- An inbound message that cannot be decoded (bad UDH, concatenation numbers out of range, an
      -- unknown data_coding) is kept with its raw octets and why (issue 13): the SMSC gets ESME_ROK,
      -- so it does not redeliver it forever, and nothing vanishes. NULL: an ordinary entry.
      ALTER TABLE inbox ADD COLUMN undecodable TEXT;
    `,
  },
  {
    version: 5,
    sql: `
      -- The inbox is capped in rows and bytes (issue 13): receipts and undecodable or incomplete
      -- entries go before messages, oldest first. This index finds the oldest of them without
      -- walking past the messages ahead of them.
      CREATE INDEX inbox_expendable ON inbox (id) WHERE type = 'receipt' OR undecodable IS NOT NULL;
    `,
  },
];

/** The newest schema this code knows. */
export const schemaVersion = migrations.reduce((max, m) => Math.max(max, m.version), 0);

export function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the file to `schemaVersion` (or to `upTo`, which tests use to make files of an older schema);
 * refuses a file written by a newer agent.
 */
export function migrate(db: Database.Database, path: string, upTo = schemaVersion): { from: number; to: number } {
  // Up to date (every open but the first of a new version): a read, no write lock. A CLI command
  // would otherwise wait here, silently, for the agent's open group (clientWait.ts).
  const current = userVersion(db);
  if (current >= upTo && current <= schemaVersion) return { from: current, to: current };
  const apply = db.transaction(() => {
    const from = userVersion(db);
    if (from > schemaVersion) {
      throw new AgentError(
        `database ${path} has schema version ${from}, newer than this agent understands (${schemaVersion}); ` +
          'upgrade edge-sms-agent, or move the file aside to start a new outbox',
        ErrorCode.Store_SchemaTooNew,
        { path, found: from, known: schemaVersion },
      );
    }
    for (const migration of migrations) {
      if (migration.version <= from || migration.version > upTo) continue;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }
    return { from, to: Math.max(from, upTo) };
  });
  return apply.immediate();
}

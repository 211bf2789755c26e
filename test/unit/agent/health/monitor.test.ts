/**
 * The health model and loop on their own: conditions become problems after their grace time and
 * keep the time they were first seen; a stuck router is told from one that is rightly waiting;
 * the watchdog is petted only by ticks that ran on time; every problem is logged once when it
 * begins and once when it ends, never per tick.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { AgentError, ErrorCode } from '../../../../src/errors.js';
import { createLogger } from '../../../../src/logger.js';
import { HealthMonitor, StoreHealth, explainStoreError, storeFaultOf, type HealthFacts } from '../../../../src/agent/health/index.js';
import { ProblemSet } from '../../../../src/agent/health/model.js';

function capturedLogger(): { logger: ReturnType<typeof createLogger>; lines: () => Array<{ level: number; msg: string; check?: string }> } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return {
    logger: createLogger({ level: 'info', destination: stream }),
    lines: () => text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { level: number; msg: string; check?: string }),
  };
}

function monitorWith(facts: { current: HealthFacts }, options: { now: { t: number }; pets?: number[]; statuses?: string[]; dir: string }) {
  const log = capturedLogger();
  const monitor = new HealthMonitor({
    store: new StoreHealth(join(options.dir, 'agent.db')),
    facts: () => facts.current,
    linkDownMs: 10_000,
    stallMs: 30_000,
    maxHoldMs: 60_000,
    logger: log.logger,
    now: () => options.now.t,
    watchdog: { intervalMs: 5000, pet: () => options.pets?.push(options.now.t), status: (text) => options.statuses?.push(text) },
  });
  return { monitor, log };
}

describe('health', () => {
  it('a condition becomes a problem after its grace time, keeps its first-seen time, and ends when it is gone', () => {
    const set = new ProblemSet();
    const down = { check: 'smpp' as const, key: 'down', reason: 'down', graceMs: 1000 };
    assert.deepEqual(set.update([down], 0), { began: [], ended: [] });
    assert.equal(set.report().status, 'ok');
    const { began } = set.update([down], 1000);
    assert.deepEqual(began, [{ check: 'smpp', reason: 'down', since: new Date(0).toISOString() }]);
    assert.deepEqual(set.report(), { ok: false, status: 'degraded', problems: began });
    assert.equal(set.update([down], 5000).began.length, 0, 'reported once');
    assert.deepEqual(set.update([], 6000).ended, began);
    assert.equal(set.report().status, 'ok');
    // A break restarts the grace.
    set.update([down], 7000);
    assert.equal(set.update([down], 7500).began.length, 0);
  });

  it('tells a full disk, a read-only file system and a damaged database from SQLite error codes, and words a full disk as Store_DiskFull', () => {
    const sqlite = (code: string): Error => Object.assign(new Error(code), { code });
    assert.equal(storeFaultOf(sqlite('SQLITE_FULL')), 'disk-full');
    assert.equal(storeFaultOf(new AgentError('wrapped', ErrorCode.Store_Open, {}, { cause: sqlite('SQLITE_CORRUPT') })), 'corrupt');
    assert.equal(storeFaultOf(sqlite('SQLITE_NOTADB')), 'corrupt');
    assert.equal(storeFaultOf(sqlite('SQLITE_READONLY_DBMOVED')), 'read-only');
    assert.equal(storeFaultOf(sqlite('SQLITE_IOERR_FSYNC')), 'io-error');
    assert.equal(storeFaultOf(new Error('other')), undefined);
    const explained = explainStoreError(sqlite('SQLITE_FULL'));
    assert.ok(explained instanceof AgentError && explained.code === ErrorCode.Store_DiskFull, String(explained));
    assert.match((explained).message, /store\.path.*full/);
    const damaged = explainStoreError(sqlite('SQLITE_CORRUPT_INDEX'));
    assert.ok(damaged instanceof AgentError && damaged.code === ErrorCode.Store_Corrupt, String(damaged));
    assert.match(damaged.message, /not stored.*try again/);
  });

  it('a store fault from an error lasts until a write succeeds; corruption lasts until the file is replaced', () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-health-'));
    try {
      writeFileSync(join(dir, 'agent.db'), '');
      const store = new StoreHealth(join(dir, 'agent.db'));
      assert.deepEqual(store.conditions(), []);
      store.noteError(Object.assign(new Error('ro'), { code: 'SQLITE_READONLY' }));
      assert.deepEqual(store.conditions().map((condition) => condition.key), ['read-only']);
      store.noteWrite();
      assert.deepEqual(store.conditions(), []);
      store.noteError(Object.assign(new Error('bad'), { code: 'SQLITE_CORRUPT' }));
      store.noteError(Object.assign(new Error('ro'), { code: 'SQLITE_READONLY' }));
      store.noteWrite();
      assert.deepEqual(store.conditions().map((condition) => condition.key), ['corrupt']);
      store.replaced(); // set aside and replaced by a fresh file (runtime/liveStore.ts)
      assert.deepEqual(store.conditions(), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a router that moves nothing while reports are overdue and a link is up is stuck; one that waits rightly is not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-health-'));
    const now = { t: 1_000_000 };
    const facts = { current: { smpp: { bound: true }, outbox: { queued: 5, oldestQueuedAgeMs: 10_000, progress: 7 } } as HealthFacts };
    const { monitor, log } = monitorWith(facts, { now, dir });
    try {
      for (let i = 0; i < 40; i++, now.t += 1000) monitor.tick(); // held back, within maxDelay: fine
      assert.equal(monitor.report.status, 'ok');
      facts.current = { ...facts.current, outbox: { queued: 5, oldestQueuedAgeMs: 120_000, progress: 7 } };
      for (let i = 0; i < 29; i++, now.t += 1000) monitor.tick();
      assert.equal(monitor.report.status, 'ok', 'not yet stallS');
      for (let i = 0; i < 3; i++, now.t += 1000) monitor.tick();
      assert.deepEqual(monitor.report.problems.map((problem) => problem.check), ['router']);
      assert.match(monitor.report.problems[0]?.reason ?? '', /5 reports queued and a link up, but none has moved on for over 30 s/);
      facts.current = { ...facts.current, outbox: { queued: 4, oldestQueuedAgeMs: 120_000, progress: 8 } };
      monitor.tick();
      assert.equal(monitor.report.status, 'ok', 'one report moved: not stuck');
      // Overdue but no link up: the link check's business, not the router's.
      facts.current = { smpp: { bound: false }, outbox: { queued: 4, oldestQueuedAgeMs: 500_000, progress: 8 } };
      for (let i = 0; i < 40; i++, now.t += 1000) monitor.tick();
      assert.deepEqual(monitor.report.problems.map((problem) => problem.check), ['smpp']);
      const logged = log.lines().filter((line) => line.msg.startsWith('health:'));
      assert.deepEqual(logged.map((line) => `${line.level} ${line.msg} ${line.check ?? ''}`), ['50 health: degraded router', '30 health: recovered router', '50 health: degraded smpp']);
    } finally {
      monitor.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pets the watchdog from ticks that ran on time, at its interval, and not from a tick that came late', () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-health-'));
    const now = { t: 0 };
    const pets: number[] = [];
    const statuses: string[] = [];
    const facts = { current: { smpp: { bound: true }, outbox: { queued: 0, oldestQueuedAgeMs: null, progress: 0 } } as HealthFacts };
    const { monitor } = monitorWith(facts, { now, pets, statuses, dir });
    try {
      for (let i = 0; i < 11; i++) {
        monitor.tick();
        now.t += 1000;
      }
      assert.deepEqual(pets, [0, 4000, 8000]);
      // The loop was blocked for 7 s: the late tick does not pet.
      now.t += 7000;
      monitor.tick();
      assert.deepEqual(pets, [0, 4000, 8000]);
      now.t += 1000;
      monitor.tick();
      assert.deepEqual(pets, [0, 4000, 8000, 19000]);
      facts.current = { smpp: { bound: false }, outbox: { queued: 0, oldestQueuedAgeMs: null, progress: 0 } };
      for (let i = 0; i < 12; i++, now.t += 1000) monitor.tick();
      assert.deepEqual(statuses, ['degraded: smpp: the SMPP link has not been bound for over 10 s (health.linkDownS)']);
    } finally {
      monitor.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

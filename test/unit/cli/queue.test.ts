import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { parseDuration } from '../../../src/cli/storeOptions.js';
import { openStore } from '../../../src/store/index.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const result = await runCli(argv);
  return { code: result.code, out: result.stdout, err: result.stderr };
}

describe('cli: report and queue commands', () => {
  let dir = '';
  let db = '';
  let config = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cli-queue-'));
    db = join(dir, 'agent.db');
    config = join(dir, 'config.yaml');
    writeFileSync(config, ['device: { id: cli-test }', 'smpp: { destination: "+447700900000" }', 'modem: { enabled: false }', 'location: { enabled: false }', 'mqtt: { enabled: false }'].join('\n'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('report queues a reading as the API does (fields, the kind\'s priority) and prints the id', async () => {
    const first = await cli('report', '--kind', 'telemetry', '--ttl', '3600', '--data', '{"t":21.5}', '--time', '1700000000', '--config', config, '--db', db);
    assert.equal(first.code, 0, first.err);
    assert.equal(first.out, '1\n');
    const alarm = await cli('report', '--kind', 'alarm', '--data', '{"door":true}', '--to', '+447700900123', '--config', config, '--db', db);
    assert.equal(alarm.code, 0, alarm.err);
    const store = openStore({ path: db });
    try {
      const report = store.outbox.get(1)!;
      assert.deepEqual(JSON.parse(String(report.payload)), { time: 1_700_000_000, fields: { t: 21.5 } });
      assert.equal(report.priority, 'normal');
      assert.equal(report.expiresAt! - report.createdAt, 3_600_000);
      assert.equal(store.outbox.get(2)?.priority, 'critical', "the alarm kind's policy");
      assert.deepEqual(store.outbox.get(2)?.destinations, ['+447700900123']);
      // A binary payload written by another program, for the listing below.
      store.outbox.enqueue({ kind: 'alarm', priority: 'critical', payload: new Uint8Array([0, 255]) });
    } finally {
      store.close();
    }
  });

  it('report --sms queues a plain SMS to each number', async () => {
    const ownDb = join(dir, 'sms.db');
    const sms = await cli('report', '--sms', 'pump 3 restarted', '--to', '+447700900301', '--to', '+447700900302', '--config', config, '--db', ownDb);
    assert.equal(sms.code, 0, sms.err);
    const store = openStore({ path: ownDb });
    try {
      const ids = sms.out.trim().split('\n').map(Number);
      assert.deepEqual(ids.map((id) => [store.outbox.get(id)?.kind, store.outbox.get(id)?.payload, store.outbox.get(id)?.destinations]), [
        ['sms', 'pump 3 restarted', ['+447700900301']],
        ['sms', 'pump 3 restarted', ['+447700900302']],
      ]);
    } finally {
      store.close();
    }
  });

  it('report to several numbers queues one entry per number and prints each id', async () => {
    const ownDb = join(dir, 'destinations.db');
    const many = await cli('report', '--kind', 'alarm', '--data', '{"door":1}', '--to', '+447700900201', '--to', '+447700900202', '--to', '+447700900201', '--config', config, '--db', ownDb);
    assert.equal(many.code, 0, many.err);
    const ids = many.out.trim().split('\n').map(Number);
    assert.equal(ids.length, 2, 'the repeated number is one entry');
    const store = openStore({ path: ownDb });
    try {
      assert.deepEqual(ids.map((id) => store.outbox.get(id)?.destinations), [['+447700900201'], ['+447700900202']]);
      assert.deepEqual(ids.map((id) => store.outbox.get(id)?.state), ['queued', 'queued']);
    } finally {
      store.close();
    }
  });

  it('report refuses bad options and readings that could never be sent, with a clear message', async () => {
    const noKind = await cli('report', '--data', '{}', '--config', config, '--db', db);
    assert.equal(noKind.code, 1);
    assert.match(noKind.err, /Cli_Usage \(800\): --kind is required/);
    assert.match((await cli('report', '--kind', 'telemetry', '--priority', 'urgent', '--data', '{}', '--config', config, '--db', db)).err, /--priority: expected critical/);
    assert.match((await cli('report', '--kind', 'telemetry', '--data', '{}', '--ttl', 'soon', '--config', config, '--db', db)).err, /--ttl: expected a duration/);
    assert.match((await cli('report', '--kind', 'telemetry', '--data', '{}', '--bogus', '--config', config, '--db', db)).err, /Unknown option '--bogus'/);
    assert.match((await cli('report', '--kind', 'telemetry', '--data', 'x', '--config', config, '--db', db)).err, /Store_InvalidInput \(405\): --data: not JSON/);
    assert.match((await cli('report', '--kind', 'pump', '--data', '{"on":true}', '--config', config, '--db', db)).err, /kind "pump" is not configured/);
    assert.match((await cli('report', '--kind', 'telemetry', '--data', '{"a.b":1}', '--config', config, '--db', db)).err, /Store_InvalidInput \(405\): field name "a\.b"/);
    const huge = await cli('report', '--kind', 'telemetry', '--data', JSON.stringify({ note: 'x'.repeat(900) }), '--config', config, '--db', db);
    assert.equal(huge.code, 1);
    assert.match(huge.err, /Report_TooLarge \(702\): report: the reading needs \d+ SMS parts alone .*reports\.maxParts is 4/);
    assert.match((await cli('report', '--sms', 'hi', '--config', config, '--db', db)).err, /--sms needs at least one --to/);
  });

  it('queue list prints a table, filters, and emits valid JSON', async () => {
    const table = await cli('queue', 'list', '--db', db);
    assert.equal(table.code, 0);
    assert.match(table.out, /\n\s+1 {2}queued {5}normal {4}telemetry .*\{"t":21\.5\}/);
    assert.match(table.out, /0x00ff/);
    assert.match(table.out, /\(3 reports\)\n$/);
    const json = await cli('queue', 'list', '--kind', 'alarm', '--json', '--db', db);
    const parsed = JSON.parse(json.out) as Array<{ id: number; payloadHex?: string; priority: string }>;
    assert.deepEqual(parsed.map((r) => [r.id, r.priority, r.payloadHex]), [[2, 'critical', undefined], [3, 'critical', '00ff']]);
    assert.deepEqual(JSON.parse((await cli('queue', 'list', '--state', 'failed', '--json', '--db', db)).out), []);
    assert.match((await cli('queue', 'list', '--state', 'lost', '--db', db)).err, /--state: expected queued/);
  });

  it('queue retry puts a failed report back and refuses a queued one', async () => {
    const store = openStore({ path: db });
    try {
      const [claimed] = store.outbox.claim({ limit: 1, link: 'smpp' });
      store.outbox.sendFailed(claimed!.messageId, 'permanent', 'invalid destination');
      assert.equal(store.outbox.get(claimed!.report.id)?.state, 'failed');
    } finally {
      store.close();
    }
    const listed = JSON.parse((await cli('queue', 'list', '--state', 'failed', '--json', '--db', db)).out) as Array<{ lastError: string; message: { link: string; state: string; lastAttemptAt: string } }>;
    assert.equal(listed[0]?.lastError, 'invalid destination');
    const { lastAttemptAt, ...message } = listed[0]?.message ?? { lastAttemptAt: '' };
    assert.deepEqual(message, { state: 'failed', link: 'smpp', partCount: 0, refs: [], lastError: 'invalid destination' });
    assert.ok(Math.abs(Date.parse(lastAttemptAt) - Date.now()) < 60_000, `lastAttemptAt is when it went out: ${lastAttemptAt}`);
    const refused = await cli('queue', 'retry', '1', '--db', db);
    assert.match(refused.err, /report 1 is queued; only failed or expired/);
    const retried = await cli('queue', 'retry', '2', '--db', db);
    assert.equal(retried.code, 0, retried.err);
    assert.match(retried.out, /report 2 queued again/);
    assert.equal((await cli('queue', 'retry', '--failed', '--db', db)).out, '0 failed report(s) queued again\n');
    assert.match((await cli('queue', 'retry', '--db', db)).err, /exactly one of a report ID or --failed/);
  });

  it('queue purge refuses without a terminal or --yes, and purges with --yes', async () => {
    const refused = await cli('queue', 'purge', '--state', 'queued', '--older-than', '0', '--db', db);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /standard input is not a terminal; pass --yes/);
    assert.equal((await cli('queue', 'purge', '--state', 'queued', '--older-than', '7d', '--yes', '--db', db)).out, 'no queued reports older than 7d\n');
    const purged = await cli('queue', 'purge', '--state', 'queued', '--older-than', '0', '--yes', '--db', db);
    assert.equal(purged.out, '3 queued report(s) deleted\n');
    assert.match((await cli('queue', 'purge', '--state', 'sending', '--older-than', '0', '--yes', '--db', db)).err, /--state: expected queued, submitted/);
    const store = openStore({ path: db });
    try {
      assert.deepEqual(store.outbox.stats().drops.byReason, { purged: 3 });
    } finally {
      store.close();
    }
  });

  it('parses durations', () => {
    assert.equal(parseDuration('3600', '--ttl'), 3_600_000);
    assert.equal(parseDuration('90s', '--ttl'), 90_000);
    assert.equal(parseDuration('1h30m', '--ttl'), 5_400_000);
    assert.equal(parseDuration('7d', '--ttl'), 604_800_000);
    assert.equal(parseDuration('250ms', '--ttl'), 250);
    assert.throws(() => parseDuration('7 days', '--ttl'), { code: 800 });
    assert.throws(() => parseDuration('', '--ttl'), { code: 800 });
  });
});

/**
 * Concurrent writers: several processes run the CLI's `report` while this process drains the
 * outbox as the agent would. WAL and the busy timeout must make every write land: nothing lost,
 * no SQLITE_BUSY reaching the user.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';

const writer = new URL('../fakes/cliReportWriter.ts', import.meta.url).pathname;
const cliMain = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** The agent's config the CLI reads (kinds, sizes); the database comes from --db. */
function writeConfig(dir: string): string {
  const file = join(dir, 'config.yaml');
  writeFileSync(file, ['device: { id: cli-drain }', 'smpp: { destination: "+447700900000" }', 'modem: { enabled: false }', 'location: { enabled: false }', 'mqtt: { enabled: false }'].join('\n'));
  return file;
}

/** The tag a reading written by this test carries in its fields. */
function tagOf(payload: string | Uint8Array | undefined): unknown {
  return (JSON.parse(String(payload)) as { fields: { tag?: unknown } }).fields.tag;
}

function run(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('CLI report while the agent drains', () => {
  it('lands every report from concurrent writer processes, with no SQLITE_BUSY', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-concurrent-'));
    const db = join(dir, 'agent.db');
    const config = writeConfig(dir);
    const agent = openStore({ path: db, recoverSending: true });
    let draining = true;
    let drained = 0;
    try {
      const drain = (async () => {
        while (draining) {
          const claimed = agent.outbox.claim({ limit: 25, link: 'smpp' });
          for (const { messageId } of claimed) {
            agent.outbox.submitted(messageId, [`m${messageId}`]);
            agent.outbox.receipt('smpp', `m${messageId}`, 'delivered');
          }
          drained += claimed.length;
          await new Promise((resolve) => setTimeout(resolve, claimed.length === 0 ? 2 : 0));
        }
      })();
      const writers = [1, 2, 3, 4].map((n) => run([writer, db, '60', `w${n}`, config]));
      const direct = [1, 2, 3].map((n) => run([cliMain, 'report', '--kind', 'alarm', '--priority', 'critical', '--data', JSON.stringify({ tag: `direct-${n}` }), '--config', config, '--db', db]));
      const results = await Promise.all([...writers, ...direct]);
      draining = false;
      await drain;

      const expected = new Map<string, number>();
      for (const result of results) {
        assert.equal(result.code, 0, result.stderr);
        assert.doesNotMatch(result.stderr, /SQLITE_BUSY|database is locked/);
      }
      for (const result of results.slice(0, 4)) {
        for (const line of result.stdout.trim().split('\n')) {
          const [tag, id] = line.split(' ');
          expected.set(tag!, Number(id));
        }
      }
      results.slice(4).forEach((result, i) => expected.set(`direct-${i + 1}`, Number(result.stdout.trim())));
      assert.equal(expected.size, 4 * 60 + 3);
      assert.equal(new Set(expected.values()).size, expected.size, 'every report got its own id');

      // Finish the drain, then every report must be there, with the payload its writer sent.
      for (let claimed = agent.outbox.claim({ limit: 500, link: 'smpp' }); claimed.length > 0; claimed = agent.outbox.claim({ limit: 500, link: 'smpp' })) {
        for (const { messageId } of claimed) agent.outbox.submitted(messageId, [`m${messageId}`]);
        drained += claimed.length;
      }
      for (const [tag, id] of expected) {
        const report = agent.outbox.get(id);
        assert.equal(tagOf(report?.payload), tag, `report ${id}`);
        assert.ok(report?.state === 'delivered' || report?.state === 'submitted');
      }
      assert.equal(drained, expected.size);
      process.stdout.write(`# ${expected.size} reports from 7 processes, drained concurrently\n`);
    } finally {
      agent.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets several processes create and migrate a fresh file at the same moment', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-fresh-'));
    const db = join(dir, 'new', 'agent.db');
    const config = writeConfig(dir);
    try {
      const results = await Promise.all(
        [1, 2, 3, 4].map((n) => run([cliMain, 'report', '--kind', 'telemetry', '--data', JSON.stringify({ tag: `first-${n}` }), '--config', config, '--db', db])),
      );
      for (const result of results) assert.equal(result.code, 0, result.stderr);
      const ids = results.map((result) => Number(result.stdout.trim())).sort();
      assert.deepEqual(ids, [1, 2, 3, 4]);
      const store = openStore({ path: db });
      try {
        assert.equal(store.outbox.stats().byState.queued.rows, 4);
      } finally {
        store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

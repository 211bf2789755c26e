/**
 * The agent keeps readings in one open SQLite transaction for `store.groupCommitS` (issue 14: fewer
 * bytes on the SD card), so a CLI write made meanwhile cannot take the lock at once. Seen from
 * outside:
 *  - with a real agent holding a 60 s group, `report` knocks (`agent.db.knock`), the agent commits at
 *    once, and the CLI's write goes through without waiting out the group or saying anything;
 *  - `queue list` knocks as well, so it lists what a batched agent (a 300 s group by default) holds uncommitted;
 *  - with a holder that does not answer knocks (another process's transaction), `queue retry` waits,
 *    says on stderr why, and succeeds once the lock is free; `queue list` does not wait for it, reads what
 *    is committed and says its list may be late.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/index.js';
import { account, startSimulator } from '../helpers/simSetup.js';
import { AgentProcess, callApi, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';
import { runCli } from '../helpers/cli.js';

const waiting = /waiting: the running agent holds the database until its next group commit \(store\.groupCommitS/;

interface Held {
  readonly api: string;
  readonly db: string;
  readonly config: string;
  /** The agent's file, read-only, as another process sees it. */
  readonly file: Database.Database;
}

/**
 * A real agent whose open group holds one reading (POSTed), with `store` added to its store section;
 * telemetry waits to fill an SMS, so nothing but that reading writes while `look` runs.
 */
async function withHeldReading(name: string, store: string, look: (held: Held, id: number) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `esa-cli-${name}-`));
  const sim = await startSimulator();
  const api = join(dir, 'api.sock');
  const db = join(dir, 'agent.db');
  const config = writeAgentConfig(dir, [
    `device: { id: pi-cli-${name} }`,
    'location: { enabled: false }',
    'modem: { enabled: false }',
    'mqtt: { enabled: false }',
    `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${sim.port}?bind=trx", destination: "+447700900000" }`,
    `store: { path: "${db}", ${store} }`,
    `api: { listen: "unix:${api}" }`,
    'log: { level: warn }',
  ]);
  const agent = new AgentProcess(config);
  try {
    agent.start();
    await waitForApi(api, 30_000);
    const posted = await callApi(api, 'POST', '/reports', { kind: 'telemetry', data: { T: 21.5 } });
    assert.equal(posted.status, 201, posted.text);
    const file = new Database(db, { readonly: true });
    try {
      await look({ api, db, config, file }, (JSON.parse(posted.text) as { id: number }).id);
    } finally {
      file.close();
    }
  } finally {
    if (agent.running) await agent.kill('SIGKILL');
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Another process holds the write lock for `holdMs` (a sqlite3 shell, an agent of an older version: no
 * knock answered) on a database holding one committed reading.
 */
async function withLockHeld(holdMs: number, look: (db: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'esa-cli-held-'));
  const db = join(dir, 'agent.db');
  const store = openStore({ path: db });
  store.outbox.enqueue({ kind: 'telemetry', priority: 'normal', payload: 'committed before the holder' });
  store.close();
  const holder = spawn(process.execPath, ['--input-type=module', '-e', `
    import Database from ${JSON.stringify(new URL('../../node_modules/better-sqlite3/lib/index.js', import.meta.url).pathname)};
    const db = new Database(${JSON.stringify(db)});
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('held\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${holdMs});`], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      holder.stdout.once('data', () => resolve());
      holder.once('exit', (code) => reject(new Error(`the holder exited (${String(code)}) before taking the lock`)));
    });
    await look(db);
  } finally {
    holder.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

function inFile(file: Database.Database, id: number): boolean {
  return file.prepare('SELECT 1 FROM reports WHERE id = ?').get(id) !== undefined;
}

describe('a CLI write while the database is held', () => {
  it('the agent commits its open group when the CLI knocks: the write goes through at once, silently', { timeout: 120_000 }, async () => {
    await withHeldReading('knock', 'groupCommitS: 60', async ({ config, file }, apiId) => {
      assert.equal(inFile(file, apiId), false, 'the reading waits in the agent\'s open 60 s group');
      const started = Date.now();
      const cli = await runCli(['report', '--kind', 'telemetry', '--data', '{"T":22}', '--config', config]);
      assert.equal(cli.code, 0, cli.stderr);
      assert.ok(Date.now() - started < 30_000, 'the CLI did not wait out the 60 s group');
      assert.doesNotMatch(cli.stderr, waiting, 'answered at once: nothing to explain');
      assert.ok(inFile(file, apiId), 'the knock made the agent commit its group');
      assert.ok(inFile(file, Number(cli.stdout.trim())), 'and the CLI\'s reading is in the file');
    });
  });

  it('queue list knocks too: it lists a reading the batched agent (a 5-minute group by default) still holds uncommitted', { timeout: 120_000 }, async () => {
    await withHeldReading('list', 'durability: batched', async ({ config, file }, id) => {
      assert.equal(inFile(file, id), false, 'the reading waits in the agent\'s open group');
      const started = Date.now();
      const cli = await runCli(['queue', 'list', '--json', '--config', config]);
      assert.equal(cli.code, 0, cli.stderr);
      assert.ok(Date.now() - started < 30_000, 'the list did not wait out the group');
      assert.doesNotMatch(cli.stderr, waiting, 'answered at once: nothing to explain');
      const listed = JSON.parse(cli.stdout) as Array<{ id: number; state: string }>;
      assert.deepEqual(listed.map((report) => [report.id, report.state]), [[id, 'queued']]);
      assert.ok(inFile(file, id), 'the knock made the agent commit its group');
    });
  });

  it('a holder that does not answer: the CLI waits, says why on stderr, and succeeds once the lock is free', { timeout: 60_000 }, async () => {
    await withLockHeld(3000, async (db) => {
      const cli = await runCli(['queue', 'retry', '--failed', '--db', db]);
      assert.equal(cli.code, 0, cli.stderr);
      assert.match(cli.stderr, waiting, 'the CLI said why it waited');
    });
  });

  it('a holder that does not answer: queue list does not wait for it, and says its list may be late', { timeout: 60_000 }, async () => {
    await withLockHeld(60_000, async (db) => {
      const started = Date.now();
      const cli = await runCli(['queue', 'list', '--json', '--db', db]);
      assert.equal(cli.code, 0, cli.stderr);
      assert.ok(Date.now() - started < 20_000, `answered in ${Date.now() - started} ms, not after the holder's 60 s`);
      assert.match(cli.stderr, /note: the database is held and no agent answered; listing what is committed/);
      assert.deepEqual((JSON.parse(cli.stdout) as Array<{ payload: string }>).map((report) => report.payload), ['committed before the holder']);
    });
  });
});

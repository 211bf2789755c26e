/**
 * The CLI's contract, checked over every command in the command table (so a new command is held to
 * it the day it is added): `--help` prints its usage and exits 0; an unknown option exits 2 naming it,
 * with no stack trace; each group word (`queue`, `modem`, `sim`, `smpp`, `fleet`) lists its
 * subcommands; commands that touch the agent's data take `--config` (and `--db` where they take a
 * database); read commands create no file; destinations and PINs are checked before anything is
 * opened; and `queue list | head` ends quietly (EPIPE) in a real process.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commands } from '../../src/cli/main.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { openStore } from '../../src/store/index.js';

const cliPath = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const stackTrace = /\n\s+at .+[:(]/;

/** Commands that read or write the agent's own data: they find it through --config like `run` does. */
const dataCommands = ['run', 'status', 'events', 'report', 'queue list', 'queue retry', 'queue purge'];
/** Commands that only read: they must never create a file. Each with arguments that make it read. */
const readCommands: ReadonlyArray<readonly string[]> = [['status'], ['status', '--json'], ['queue', 'list'], ['queue', 'list', '--json'], ['events']];

/** In-process, bounded: a command that does not parse its options first would hang here. */
async function within(args: readonly string[], ms = 20_000): Promise<CliResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      runCli(args, ''),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`'${args.join(' ')}' did not return within ${ms} ms`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

describe('one CLI contract for every command', () => {
  const table = commands.map(([name]) => name);

  it('the table holds every data command', () => {
    for (const name of dataCommands) assert.ok(table.includes(name), `${name} is in the command table`);
  });

  for (const name of table) {
    const path = name.split(' ');
    it(`${name}: --help, an unknown option, --config/--db`, async () => {
      const help = await within([...path, '--help']);
      assert.equal(help.code, 0, help.stderr);
      assert.ok(help.stdout.startsWith(`edge-sms-agent ${name}`), `usage starts with the command: ${help.stdout.slice(0, 80)}`);
      assert.equal(help.stderr, '');

      const unknown = await within([...path, '--no-such-option']);
      assert.equal(unknown.code, 2, `${name} --no-such-option: ${unknown.stderr}`);
      assert.match(unknown.stderr, /--no-such-option/);
      assert.doesNotMatch(unknown.stderr, stackTrace);
      assert.equal(unknown.stdout, '');

      if (dataCommands.includes(name)) assert.match(help.stdout, /--config PATH/, `${name} takes --config`);
      if (help.stdout.includes('--db PATH')) assert.match(help.stdout, /--config PATH/, `${name} takes --db, so --config too`);
    });
  }

  for (const group of [...new Set(table.filter((name) => name.includes(' ')).map((name) => name.split(' ')[0] ?? ''))]) {
    it(`${group}: bare and --help list its subcommands; an unknown one exits 2`, async () => {
      for (const args of [[group], [group, '--help']]) {
        const result = await within(args);
        assert.equal(result.code, 0, result.stderr);
        for (const name of table.filter((entry) => entry.startsWith(`${group} `))) assert.ok(result.stdout.includes(name), `${args.join(' ')} lists ${name}`);
      }
      const unknown = await within([group, 'frobnicate']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /unknown command/);
    });
  }

  it('read commands create no database and no folder, and say why they have nothing to read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-contract-'));
    try {
      const config = join(dir, 'config.yaml');
      writeFileSync(config, `device: { id: pi-c }\nsmpp: { destination: "+447700900000" }\nstore: { path: "${join(dir, 'state', 'agent.db')}" }\napi: { listen: "unix:${join(dir, 'nobody.sock')}" }\n`);
      for (const args of readCommands) {
        const result = await within([...args, '--config', config]);
        assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
        assert.doesNotMatch(result.stderr, stackTrace);
        assert.match(result.stderr, args[0] === 'events' ? /no agent answers on unix:.*is it running\?/ : /no database at .*agent\.db \(the agent has not run/);
        assert.deepEqual(readdirSync(dir), ['config.yaml'], `${args.join(' ')} created nothing`);
      }
      const viaDb = await within(['queue', 'list', '--db', join(dir, 'other.db')]);
      assert.equal(viaDb.code, 1);
      assert.deepEqual(readdirSync(dir), ['config.yaml']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a destination that is not a number and a PIN that is not 4-8 digits, before touching anything', async () => {
    const refusals: ReadonlyArray<readonly string[]> = [
      ['send', '--smsc', 'smpp://a:b@127.0.0.1:1', '--to', 'abc', '--from', 'ACME', '--text', 'x'],
      ['modem', 'send', '--port', '/dev/null-none', '--profile', 'generic-3gpp', '--to', 'abc', '--text', 'x'],
      ['modem', 'info', '--port', '/dev/null-none', '--profile', 'generic-3gpp', '--pin', '12'],
    ];
    for (const args of refusals) {
      const result = await within(args);
      assert.equal(result.code, 2, `${args.join(' ')}: a usage error: ${result.stderr}`);
      assert.match(result.stderr, /not a phone number|a SIM PIN is 4-8 digits/);
    }
    // `report` is one of the agent's ingest doors: it refuses with the door's code (Store_InvalidInput, exit 1), as
    // POST /reports and the MQTT report command do (agentDoorPolicyIsTheSameForEveryDoor), and creates nothing.
    const neverCreated = join(tmpdir(), `never-created-${process.pid}.db`);
    const report = await within(['report', '--kind', 'alarm', '--data', '{}', '--to', 'abc', '--db', neverCreated]);
    assert.equal(report.code, 1, report.stderr);
    assert.match(report.stderr, /Store_InvalidInput \(405\): --to: 'abc' is not a phone number/);
    assert.equal(existsSync(neverCreated), false);
  });

  it('queue list | head ends quietly: exit 0, nothing on standard error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-epipe-'));
    try {
      const db = join(dir, 'agent.db');
      const store = openStore({ path: db });
      store.outbox.enqueueMany(Array.from({ length: 20_000 }, (_, n) => ({ kind: 'telemetry', priority: 'normal' as const, payload: `{"n":${n}}` })));
      store.close();
      const child = spawn(process.execPath, ['--import', 'tsx', cliPath, 'queue', 'list', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      // What `head -1` does: read a little, then close the pipe.
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.once('exit', (exitCode) => {
          clearTimeout(timer);
          resolve(exitCode);
        });
      });
      assert.equal(stderr, '');
      assert.equal(code, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * `api.listen: unix:PATH`: the agent removes a stale socket left by a crash (nobody answers on it),
 * and refuses, exiting 1 with a clear message, when PATH is a regular file, a directory, or a socket
 * another agent answers on; the file is left as it was. Its own socket has mode 0660.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentProcess, callApi, waitForApi, writeAgentConfig } from '../helpers/agentProcess.js';

function agentAt(dir: string, name: string, api: string): AgentProcess {
  const home = join(dir, name);
  mkdirSync(home);
  return new AgentProcess(writeAgentConfig(home, [
    `device: { id: ${name} }`,
    'smpp: { enabled: false, destination: "+447700900000" }',
    'modem: { enabled: true, port: /dev/null-no-modem }',
    'location: { enabled: false }',
    'mqtt: { enabled: false }',
    `store: { path: "${join(home, 'agent.db')}" }`,
    `api: { listen: "unix:${api}" }`,
    'log: { level: info }',
  ]));
}

/** A socket file nobody answers on: its listener was killed before it could clean up. */
async function staleSocket(path: string): Promise<void> {
  const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`]);
  await new Promise((resolve) => child.once('exit', resolve));
  assert.ok(statSync(path).isSocket(), 'a stale socket was left');
}

async function refused(agent: AgentProcess, pattern: RegExp): Promise<void> {
  agent.start();
  const { code } = await agent.exited();
  assert.equal(code, 1);
  const said = [...agent.raw, ...agent.logs.map((entry) => JSON.stringify(entry))].join('\n');
  assert.match(said, pattern);
}

describe('the local API socket', () => {
  it('replaces only a stale socket of its own, refuses any other file there, and listens with mode 0660', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-sock-'));
    const api = join(dir, 'api.sock');
    const first = agentAt(dir, 'pi-first', api);
    try {
      writeFileSync(api, 'precious data\n');
      await refused(agentAt(dir, 'pi-file', api), /exists and is a regular file, not a socket/);
      assert.equal(readFileSync(api, 'utf8'), 'precious data\n', 'the file is untouched');
      rmSync(api);

      mkdirSync(api);
      await refused(agentAt(dir, 'pi-dir', api), /exists and is a directory, not a socket/);
      assert.ok(statSync(api).isDirectory());
      rmSync(api, { recursive: true });

      await staleSocket(api);
      first.start();
      await waitForApi(api, 20_000);
      assert.equal(statSync(api).mode & 0o777, 0o660);
      assert.equal((await callApi(api, 'GET', '/state')).status, 200);

      // A second agent on the same path: the first one answers there, so the second refuses and leaves it.
      await refused(agentAt(dir, 'pi-second', api), /another process answers on/);
      assert.ok(existsSync(api));
      assert.equal((await callApi(api, 'GET', '/state')).status, 200, 'the first agent still answers');

      assert.equal((await first.kill('SIGTERM')).code, 0);
      assert.equal(existsSync(api), false, 'a clean stop removes the socket');
    } finally {
      if (first.running) await first.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A capture file the agent cannot write is a configuration error at start: exit 1, the key and the fix named. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentProcess, writeAgentConfig } from '../helpers/agentProcess.js';

describe('smpp.capture.file', () => {
  it('stops the start with Config_Invalid when the file cannot be written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-capture-'));
    const agent = new AgentProcess(writeAgentConfig(dir, [
      'device: { id: pi-capture }',
      `smpp: { url: "smpp://esme1:secret@127.0.0.1:1", destination: "+447700900000", capture: { file: "${join(dir, 'missing', 'smpp.pcap')}" } }`,
      'modem: { enabled: false }',
      'location: { enabled: false }',
      'mqtt: { enabled: false }',
      `store: { path: "${join(dir, 'agent.db')}" }`,
      `api: { listen: "unix:${join(dir, 'api.sock')}" }`,
    ]));
    try {
      agent.start();
      const exit = await agent.exited();
      assert.equal(exit.code, 1);
      const said = agent.raw.join('\n');
      assert.match(said, /Config_Invalid \(600\): smpp\.capture\.file: cannot write .*missing\/smpp\.pcap \(ENOENT\)/);
      assert.ok(!said.includes('secret'));
    } finally {
      await agent.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { openStore } from '../../../src/store/index.js';

describe('edge-sms-agent status', () => {
  it('falls back to the database when the agent is not running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esa-status-'));
    try {
      const db = join(dir, 'agent.db');
      const store = openStore({ path: db });
      store.outbox.enqueue({ kind: 'telemetry', priority: 'high', payload: '{"time":1,"fields":{"T":1}}' });
      store.outbox.enqueue({ kind: 'alarm', priority: 'critical', payload: '{"time":1,"fields":{}}' });
      store.close();
      const config = join(dir, 'config.yaml');
      writeFileSync(config, `device: { id: pi-1 }\nsmpp: { destination: "+447700900000" }\nstore: { path: "${db}" }\napi: { listen: "unix:${join(dir, 'nobody.sock')}" }\n`);
      const human = await runCli(['status', '--config', config]);
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, /^agent: not running/);
      assert.match(human.stdout, /outbox: queued 2, sending 0/);
      assert.match(human.stdout, /waiting: critical 1, high 1/);
      const json = await runCli(['status', '--config', config, '--json']);
      const parsed = JSON.parse(json.stdout) as { running: boolean; outbox: { byState: { queued: number } } };
      assert.deepEqual([parsed.running, parsed.outbox.byState.queued], [false, 2]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

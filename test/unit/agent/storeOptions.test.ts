import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/agent/config/index.js';
import { storeOptions } from '../../../src/agent/runtime/routerSetup.js';
import { createLogger } from '../../../src/logger.js';
import { openStore } from '../../../src/store/index.js';

describe("the agent's store options", () => {
  it('store.inboxKeepDays is how long received SMS stay: the sweep prunes older ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-options-'));
    const path = join(dir, 'agent.db');
    const config = loadConfig({ text: `device: { id: pi-1 }\nsmpp: { url: "smpp://edge:secret@127.0.0.1:2775", destination: "+447700900000" }\nstore: { path: "${path}", inboxKeepDays: 2 }\n`, env: {} });
    const store = openStore(storeOptions(config, createLogger({ level: 'silent' }), {}));
    try {
      const old = store.inbox.addMessage({ link: 'smpp', sender: '+447700900001', payload: 'three days ago' });
      const recent = store.inbox.addMessage({ link: 'smpp', sender: '+447700900001', payload: 'yesterday' });
      if (old.status !== 'stored' || recent.status !== 'stored') assert.fail('both messages are stored');
      const backdate = store.db.prepare('UPDATE inbox SET received_at = ? WHERE id = ?');
      backdate.run(Date.now() - 3 * 86_400_000, old.id);
      backdate.run(Date.now() - 1 * 86_400_000, recent.id);
      assert.equal(store.sweep().inboxPruned, 1);
      assert.equal(store.inbox.get(old.id), undefined);
      assert.equal(store.inbox.get(recent.id)?.payload, 'yesterday');
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

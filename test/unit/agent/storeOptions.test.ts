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

  it('store.keepDeliveredHours is how long delivered reports stay (default a week; none in batched): 0 deletes them as their receipt settles them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-options-'));
    const configText = (keep: string): string =>
      `device: { id: pi-1 }\nsmpp: { url: "smpp://edge:secret@127.0.0.1:2775", destination: "+447700900000" }\nstore: { path: "${join(dir, 'agent.db')}"${keep} }\n`;
    const defaults = (durability: string): { keepDeliveredMs: number | undefined; groupMs: number | undefined } => {
      const options = storeOptions(loadConfig({ text: configText(durability), env: {} }), createLogger({ level: 'silent' }), {});
      return { keepDeliveredMs: options.outbox?.keepDeliveredMs, groupMs: options.groupMs };
    };
    // full keeps a week of delivered reports and commits every 10 s; batched, the card-saving mode, neither.
    assert.deepEqual(defaults(''), { keepDeliveredMs: 168 * 3_600_000, groupMs: 10_000 });
    assert.deepEqual(defaults(', durability: batched'), { keepDeliveredMs: 0, groupMs: 300_000 });
    assert.deepEqual(defaults(', durability: batched, keepDeliveredHours: 24, groupCommitS: 60'), { keepDeliveredMs: 24 * 3_600_000, groupMs: 60_000 });
    assert.throws(() => loadConfig({ text: configText(', groupCommitS: 301'), env: {} }), /store\.groupCommitS/);
    assert.throws(() => loadConfig({ text: configText(', keepDeliveredHours: -1'), env: {} }), /store\.keepDeliveredHours/);
    const store = openStore(storeOptions(loadConfig({ text: configText(', keepDeliveredHours: 0'), env: {} }), createLogger({ level: 'silent' }), {}));
    try {
      const { id } = store.outbox.enqueue({ kind: 'alarm', priority: 'critical', payload: 'door open' });
      const messageId = store.outbox.startMessage([id!], 'smpp');
      store.outbox.submitted(messageId, ['ref-1']);
      assert.equal(store.outbox.get(id!)?.state, 'submitted');
      assert.equal(store.receiveReceipt({ link: 'smpp', sender: '+447700900000', ref: 'ref-1', outcome: 'delivered', payload: 'id:ref-1 stat:DELIVRD' }).settled, 1);
      assert.equal(store.outbox.get(id!), undefined);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

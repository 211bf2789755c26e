/**
 * A stand-in agent for the crash tests: enqueues bursts and drains them through a fake link that
 * appends to a sink file ("the SMSC got it"), as fast as it can, until it is killed.
 *
 *   node --import tsx test/fakes/outboxCrashWorker.ts DB SINK (run|finish)
 *
 * stdout (written synchronously, so a SIGKILL loses nothing already printed):
 *   `ready`                    store open, recovery done
 *   `E <id>`                   a report's enqueue committed (the caller was told its id)
 * sink lines: `S <id>` handed to the link; `F <id>` send failure recorded; `D <id>` delivered recorded.
 * At start it delivers the receipts owed for reports left `submitted` by the previous run.
 * In `finish` mode it enqueues nothing and exits 0 once every report is delivered.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { openStore } from '../../src/store/index.js';

export const window = 10;

const [dbPath, sinkPath, mode] = process.argv.slice(2);
if (dbPath === undefined || sinkPath === undefined || (mode !== 'run' && mode !== 'finish')) {
  process.stderr.write('usage: outboxCrashWorker DB SINK run|finish\n');
  process.exit(2);
}
const sink = openSync(sinkPath, 'a');
const store = openStore({
  path: dbPath,
  recoverSending: true,
  outbox: {
    kinds: { telemetry: { receiptRequired: true, maxAttempts: 1000 } },
    backoff: { temporaryBaseMs: 1, temporaryMaxMs: 5, throttledMs: 1 },
  },
});
// The SMSC sends the receipts it owes once we are back: settle what was submitted before the crash.
for (const report of [...store.outbox.list({ state: 'submitted' })]) {
  const { settled } = store.outbox.receipt('smpp', `ref-${report.messageId}`, 'delivered');
  if (settled > 0) writeSync(sink, `D ${report.id}\n`);
}
writeSync(1, 'ready\n');

let sequence = 0;
const random = (n: number): number => Math.floor(Math.random() * n);

function enqueueSome(): void {
  const count = 1 + random(20);
  const inputs = Array.from({ length: count }, () => ({ kind: 'telemetry', priority: (['critical', 'high', 'normal', 'low'] as const)[random(4)]!, payload: `p${process.pid}-${sequence++}` }));
  const ids = random(2) === 0 ? store.outbox.enqueueMany(inputs).map((r) => r.id) : inputs.map((input) => store.outbox.enqueue(input).id);
  writeSync(1, ids.map((id) => `E ${id}\n`).join(''));
}

function drainOnce(): number {
  const claimed = store.outbox.claim({ limit: window, link: 'smpp' });
  for (const { messageId, report } of claimed) {
    writeSync(sink, `S ${report.id}\n`);
    if (random(10) === 0) {
      store.outbox.sendFailed(messageId, 'temporary', 'fake link timeout');
      writeSync(sink, `F ${report.id}\n`);
      continue;
    }
    store.outbox.submitted(messageId, [`ref-${messageId}`]);
    const { settled } = store.outbox.receipt('smpp', `ref-${messageId}`, 'delivered');
    if (settled !== 1) throw new Error(`receipt for ${report.id} settled ${settled}`);
    writeSync(sink, `D ${report.id}\n`);
  }
  return claimed.length;
}

function step(): void {
  if (mode === 'run') {
    enqueueSome();
    drainOnce();
    setImmediate(step);
    return;
  }
  const stats = store.outbox.stats().byState;
  if (stats.queued.rows + stats.sending.rows + stats.submitted.rows === 0) {
    store.close();
    closeSync(sink);
    return;
  }
  if (drainOnce() === 0) setTimeout(step, 5);
  else setImmediate(step);
}
step();

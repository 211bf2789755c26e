/**
 * A child process for the batched-sending crash test: opens the outbox as the agent does
 * (recovering `sending` rows), runs the router with report batching, and "sends" each message by
 * appending it to a log file (the SMSC's view) before acknowledging it. It exits 0 when nothing is
 * left to send. The parent kills it with SIGKILL at random moments.
 * Usage: batchedSendWorker.ts DB_PATH LOG_PATH [journal]
 * `journal`: the agent's intake journal and group (builds and acknowledgements ride one open
 * transaction; a kill loses it, and the journal must bring each build back as it was sent).
 */
import { appendFileSync, fsyncSync, openSync, closeSync } from 'node:fs';
import { systemClock } from '../../src/clock.js';
import { openStore } from '../../src/store/index.js';
import { Router } from '../../src/agent/router/router.js';
import { OutboxRouterStore } from '../../src/agent/router/outboxRouterStore.js';
import { classifySendError } from '../../src/agent/router/classify.js';
import { reportPartCapacity } from '../../src/report/index.js';
import type { BuiltMessage } from '../../src/agent/router/types.js';

const [dbPath, logPath, mode] = process.argv.slice(2);
if (dbPath === undefined || logPath === undefined) throw new Error('usage: batchedSendWorker.ts DB_PATH LOG_PATH [journal]');

const store = openStore({ path: dbPath, recoverSending: true, intakeJournal: mode === 'journal' });
const log = openSync(logPath, 'a');
// journal: a new urgent reading arrives at each start, so a build lost with the killed group would be
// packed differently now (this reading first) under the same sequence number, unless it is restored as built.
const arrived = 1_000_000 + process.pid;
if (mode === 'journal') store.outbox.enqueue({ kind: 'telemetry', priority: 'high', payload: JSON.stringify({ time: 1_900_000_000, fields: { n: arrived, T: 1 } }) });

const smsc = {
  send(message: BuiltMessage): Promise<readonly string[]> {
    // The SMSC has the message once it is in the log; the ack can still be lost to a kill.
    appendFileSync(log, `${JSON.stringify({ seq: message.seq, payload: message.payload })}\n`);
    fsyncSync(log);
    return new Promise((resolve) => setTimeout(() => resolve([`m${message.seq}`]), 5 + Math.random() * 10));
  },
};

const router = new Router({
  store: new OutboxRouterStore(store.outbox),
  senders: { smpp: smsc },
  links: () => ({ smppBound: true, smppDownSince: 0, modemReady: false }),
  kinds: () => ({ maxDelayMs: 0, encoding: 'text', modemFallback: false }),
  device: '42',
  destinations: { smpp: '+447700900000', modem: '+447700900000' },
  maxParts: 1,
  capacity: { text: reportPartCapacity('text', { split: 'udh8' }), binary: reportPartCapacity('binary', { split: 'udh8' }) },
  fallbackAfterMs: 60_000,
  windows: { smpp: 2, modem: 1 },
  classify: classifySendError,
  clock: systemClock,
});
router.start();
// The parent times its kill from here, not from the spawn: how long tsx takes to start says nothing about sending.
process.stdout.write(`started ${mode === 'journal' ? arrived : ''}\n`);

const poll = setInterval(() => {
  const { byState } = store.outbox.stats();
  if (byState.queued.rows === 0 && byState.sending.rows === 0 && router.inFlightCount() === 0) {
    clearInterval(poll);
    void router.stop(1000).then(() => {
      store.close();
      closeSync(log);
      process.exit(0);
    });
  }
}, 20);

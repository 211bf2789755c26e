/**
 * Child process for bench/session.ts: one ESME client, ours or node-smpp's, keeping W submits
 * outstanding against the server on PORT. Warms up, then sends COUNT submits and prints one
 * JSON line: submits, elapsed ms, CPU µs (user+system, this process only), peak RSS, and the
 * response latency (submit call → response callback) of every 16th submit.
 * A fixed count, not a fixed time, so both clients do the same work and peak RSS compares work
 * with work (a faster client would otherwise allocate more in the same seconds).
 *
 * session.ts compiles this file to dist/bench/ and runs it with plain node, not tsx, and each
 * kind loads only its own library (ours from dist/, as installed; node-smpp from node_modules):
 * peak RSS then measures the client and its library, not a loader and both libraries.
 * Hence the dynamic imports, and types only from the sources.
 */
import { readFileSync } from 'node:fs';
import type * as Ours from '../src/smpp/index.js';
import type { NodeSmppNetPdu, NodeSmppSession } from '../test/helpers/nodeSmppNet.js';

const [kind, portText, windowText, countText, refillText] = process.argv.slice(2);
const port = Number(portText);
const window = Number(windowText);
const count = Number(countText);
const text = 'temperature=21.5;humidity=40;battery=3.71';

type Submit = (done: () => void) => void;

/** Where the compiled library sits relative to this file once compiled to dist/bench/. */
const oursPath = '../smpp/index.js';

async function ours(): Promise<{ submit: Submit; close: () => Promise<void> }> {
  const { SmppSession, createPdu } = (await import(oursPath)) as typeof Ours;
  const session = new SmppSession({
    endpoint: { host: '127.0.0.1', port, tls: false, rejectUnauthorized: true },
    systemId: 'bench', password: 'bench', bindMode: 'transmitter', window,
    // An A/B knob for the refill batch (see src/smpp/session/refill.ts); the default otherwise.
    ...(refillText === undefined ? {} : { refillBatch: Number(refillText) }),
  });
  await session.connect();
  const message = Buffer.from(text, 'latin1');
  return {
    submit: (done) => {
      session.request(createPdu('submit_sm', {
        source_addr_ton: 5, source_addr: 'ACME', dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '447700900123', short_message: message,
      })).then(done, done);
    },
    close: () => session.close(),
  };
}

interface NodeSmppModule {
  connect(options: { host: string; port: number }, listener?: () => void): NodeSmppSession;
}

async function node(): Promise<{ submit: Submit; close: () => Promise<void> }> {
  const smpp = (await import('smpp')).default as unknown as NodeSmppModule; // typed by the codec's smpp.d.ts for its PDU half only
  const session = await new Promise<NodeSmppSession>((resolve, reject) => {
    const s = smpp.connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.on('error', reject);
  });
  const call = (send: (callback: (pdu: NodeSmppNetPdu) => void) => boolean): Promise<NodeSmppNetPdu> =>
    new Promise((resolve, reject) => {
      if (!send(resolve)) reject(new Error('node-smpp session not writable'));
    });
  await call((cb) => session.bind_transmitter({ system_id: 'bench', password: 'bench' }, cb));
  return {
    submit: (done) => {
      session.submit_sm({ source_addr_ton: 5, source_addr: 'ACME', dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '447700900123', short_message: text }, () => done());
    },
    close: async () => {
      await call((cb) => session.unbind(cb));
      session.close();
    },
  };
}

const client = kind === 'ours' ? await ours() : await node();

/** Every 16th submit's latency, µs. */
const samples = new Float64Array(Math.ceil(count / 16) + 1);
let sampled = 0;

/** Keeps `window` submits outstanding until `total` were sent; resolves with the count completed. */
function drive(total: number, sample: boolean): Promise<number> {
  return new Promise((resolve) => {
    let completed = 0;
    let outstanding = 0;
    let sent = 0;
    const send = (): void => {
      outstanding++;
      const n = sent++;
      if (sample && (n & 15) === 0) {
        const started = performance.now();
        client.submit(() => {
          samples[sampled++] = (performance.now() - started) * 1000;
          done();
        });
      } else {
        client.submit(done);
      }
    };
    const done = (): void => {
      completed++;
      outstanding--;
      if (sent < total) send();
      else if (outstanding === 0) resolve(completed);
    };
    for (let i = 0; i < window; i++) send();
  });
}

await drive(Math.max(window, Math.round(count / 10)), false); // warm-up: JIT, socket buffers
const cpuBefore = process.cpuUsage();
const started = performance.now();
const submits = await drive(count, true);
const elapsedMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
await client.close();
const latencies = samples.subarray(0, sampled).sort();
// Peak RSS of this process: VmHWM, the high-water mark of its own address space. Not
// resourceUsage().maxRSS: Linux carries that over fork and exec, so a child started by a larger
// parent (the bench runner under tsx, ~73 MiB) reports the parent's RSS as its own peak.
const peakRssKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
const percentile = (p: number): number => Math.round(latencies[Math.min(sampled - 1, Math.floor(sampled * p))] ?? 0);
process.stdout.write(`${JSON.stringify({
  submits, elapsedMs, cpuUs: cpu.user + cpu.system, userUs: cpu.user, sysUs: cpu.system, peakRssKb, p50Us: percentile(0.5), p99Us: percentile(0.99),
})}\n`);
process.exit(0);

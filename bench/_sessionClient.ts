/**
 * Child process for bench/session.ts: one ESME client, ours or node-smpp's, keeping W submits
 * outstanding against the server on PORT. Warms up, then sends COUNT submits and prints one
 * JSON line: submits, elapsed ms, CPU µs (user+system, this process only) and peak RSS.
 * A fixed count, not a fixed time, so both clients do the same work and peak RSS compares work
 * with work (a faster client would otherwise allocate more in the same seconds).
 */
import { SmppSession, createPdu } from '../src/smpp/index.js';
import { nodeSmppCall, nodeSmppConnect, type NodeSmppSession } from '../test/helpers/nodeSmppNet.js';

const [kind, portText, windowText, countText] = process.argv.slice(2);
const port = Number(portText);
const window = Number(windowText);
const count = Number(countText);
const text = 'temperature=21.5;humidity=40;battery=3.71';

type Submit = (done: () => void) => void;

async function ours(): Promise<{ submit: Submit; close: () => Promise<void> }> {
  const session = new SmppSession({
    endpoint: { host: '127.0.0.1', port, tls: false, rejectUnauthorized: true },
    systemId: 'bench', password: 'bench', bindMode: 'transmitter', window,
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

async function node(): Promise<{ submit: Submit; close: () => Promise<void> }> {
  const session: NodeSmppSession = await nodeSmppConnect(port);
  await nodeSmppCall((cb) => session.bind_transmitter({ system_id: 'bench', password: 'bench' }, cb));
  return {
    submit: (done) => {
      session.submit_sm({ source_addr_ton: 5, source_addr: 'ACME', dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '447700900123', short_message: text }, () => done());
    },
    close: async () => {
      await nodeSmppCall((cb) => session.unbind(cb));
      session.close();
    },
  };
}

const client = kind === 'ours' ? await ours() : await node();

/** Keeps `window` submits outstanding until `total` were sent; resolves with the count completed. */
function drive(total: number): Promise<number> {
  return new Promise((resolve) => {
    let completed = 0;
    let outstanding = 0;
    let sent = window;
    const done = (): void => {
      completed++;
      outstanding--;
      if (sent < total) {
        sent++;
        outstanding++;
        client.submit(done);
      } else if (outstanding === 0) {
        resolve(completed);
      }
    };
    for (let i = 0; i < window; i++) {
      outstanding++;
      client.submit(done);
    }
  });
}

await drive(Math.max(window, Math.round(count / 10))); // warm-up: JIT, socket buffers
const cpuBefore = process.cpuUsage();
const started = performance.now();
const submits = await drive(count);
const elapsedMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
await client.close();
process.stdout.write(`${JSON.stringify({ submits, elapsedMs, cpuUs: cpu.user + cpu.system, maxRssKb: process.resourceUsage().maxRSS })}\n`);
process.exit(0);

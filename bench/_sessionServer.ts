/**
 * Child process for bench/session.ts: an SMSC on 127.0.0.1:0, ours (the simulator) or
 * node-smpp's (createServer with bind/submit/enquire_link/unbind handlers, as its README shows).
 * Prints `port N` when listening; exits when its stdin closes.
 */
import smpp from 'smpp';
import { SmscSimulator } from '../src/sim/index.js';
import { nodeSmppServer } from '../test/helpers/nodeSmppNet.js';

const kind = process.argv[2];
let stop: () => Promise<void>;
if (kind === 'ours') {
  const sim = new SmscSimulator({ accounts: [{ systemId: 'bench', password: 'bench' }], port: 0, storeCapacity: 10_000 });
  await sim.start();
  stop = () => sim.stop();
  process.stdout.write(`port ${sim.port}\n`);
} else if (kind === 'node') {
  let id = 0;
  const server = await nodeSmppServer((session) => {
    const accept = (pdu: Parameters<Parameters<typeof session.on>[1]>[0]): void => {
      session.send(pdu.response({ system_id: 'node' }));
    };
    session.on('bind_transceiver', accept);
    session.on('bind_transmitter', accept);
    session.on('submit_sm', (pdu) => session.send(pdu.response({ message_id: (++id).toString(16) })));
    session.on('enquire_link', (pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu) => {
      session.send(pdu.response());
      session.close();
    });
  });
  void smpp; // the module is loaded through the helper; referenced here so the child's import list says what it runs
  stop = () => server.close();
  process.stdout.write(`port ${server.port}\n`);
} else {
  throw new Error(`usage: _sessionServer.ts ours|node`);
}
process.stdin.resume();
process.stdin.on('end', () => {
  void stop().then(() => process.exit(0));
});

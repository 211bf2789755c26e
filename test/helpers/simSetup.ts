/** Shared set-up for SMPP tests: a simulator on 127.0.0.1:0 and session options pointing at it. */
import { SmppSession, type Pdu, type SmppSessionOptions } from '../../src/smpp/index.js';
import { SmscSimulator, type SmscOptions } from '../../src/sim/index.js';

export const account = { systemId: 'esme1', password: 'secret' } as const;

export async function startSimulator(options: Partial<SmscOptions> = {}): Promise<SmscSimulator> {
  const sim = new SmscSimulator({ accounts: [account], port: 0, ...options });
  await sim.start();
  return sim;
}

export function sessionOptions(port: number, extra: Partial<SmppSessionOptions> = {}): SmppSessionOptions {
  return {
    endpoint: { host: '127.0.0.1', port, tls: false, rejectUnauthorized: true },
    systemId: account.systemId,
    password: account.password,
    responseTimeoutMs: 2000,
    enquireLinkMs: 30_000,
    ...extra,
  };
}

export async function boundSession(port: number, extra: Partial<SmppSessionOptions> = {}): Promise<SmppSession> {
  const session = new SmppSession(sessionOptions(port, extra));
  await session.connect();
  return session;
}

/** Resolves on the next emission of `event` (with a deadline so a test cannot hang). */
export function nextEvent<T extends unknown[]>(emitter: { once(event: string, listener: (...args: T) => void): unknown }, event: string, ms = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' within ${ms} ms`)), ms);
    emitter.once(event, (...args: T) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

/** Every submit_sm the simulator receives from now on, in arrival order. */
export function collectSubmits(sim: SmscSimulator): Array<Pdu & { command: 'submit_sm' }> {
  const submits: Array<Pdu & { command: 'submit_sm' }> = [];
  sim.on('pdu', (pdu) => {
    if (pdu.command === 'submit_sm') submits.push(pdu);
  });
  return submits;
}

/**
 * A private MQTT broker for the demo on a free loopback port, stopped with the demo: Mosquitto with
 * its own config when it is installed (what fleets run), otherwise aedes in this process, so the
 * demo shows the MQTT mirror on any machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';

export interface DemoBroker {
  readonly url: string;
  /** `mosquitto` or `in-process (aedes)`. */
  readonly kind: string;
  stop(): Promise<void>;
}

const candidates = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto', '/usr/local/bin/mosquitto'];

export function findMosquitto(): string | undefined {
  return candidates.find((path) => existsSync(path));
}

export async function startDemoBroker(dir: string, options: { preferMosquitto?: boolean } = {}): Promise<DemoBroker> {
  const binary = options.preferMosquitto === false ? undefined : findMosquitto();
  if (binary === undefined) return startInProcessBroker();
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(config, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\n`);
  const child = spawn(binary, ['-c', config], { stdio: 'ignore' });
  await waitForPort(port, child);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    kind: 'mosquitto',
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function startInProcessBroker(): Promise<DemoBroker> {
  // Loaded only when it is used: with Mosquitto installed the demo never needs it.
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker();
  const server = createServer((socket) => broker.handle(socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    kind: 'in-process (aedes)',
    async stop() {
      server.close();
      // Clients still connected (the agent stops first, but a probe may linger) are closed by the broker.
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`mosquitto exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`mosquitto did not listen on port ${port}`);
}

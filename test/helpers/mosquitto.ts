/**
 * A real Mosquitto for tests: its own config in a temp dir, a free loopback port, started and
 * awaited until it accepts TCP connections, stopped (and restartable on the same port).
 * Fails loudly when mosquitto is not installed: the MQTT tests must not pass without a broker.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const mosquittoPaths = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'];

export function findMosquitto(): string {
  for (const path of mosquittoPaths) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // try the next
    }
  }
  throw new Error(`mosquitto not found (looked in ${mosquittoPaths.join(', ')}): install it (apt-get install mosquitto) to run the MQTT tests`);
}

export interface MosquittoOptions {
  /** Users for a password file (made with mosquitto_passwd -b); anonymous access is then refused. */
  readonly users?: Readonly<Record<string, string>>;
  /** Also listen for MQTT over WebSockets on a second port. */
  readonly websockets?: boolean;
  /** Also listen for MQTT over TLS on a second port; with `requireClientCert`, only clients with a certificate from `caFile`. */
  readonly tls?: { readonly caFile: string; readonly certFile: string; readonly keyFile: string; readonly requireClientCert: boolean };
  /** The text of an ACL file (acl_file); with it, every topic not granted is denied. */
  readonly acl?: string;
  /** More mosquitto.conf lines, appended after the listeners (limits, bridge sections). */
  readonly extraConfig?: readonly string[];
}

/** A free loopback TCP port (closed again before use; mosquitto binds it right after). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export class Mosquitto {
  private process: ChildProcess | undefined;
  private stderr = '';

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly wsPort: number | undefined,
    readonly tlsPort: number | undefined,
    private readonly configFile: string,
    private readonly binary: string,
  ) {}

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    if (this.wsPort === undefined) throw new Error('started without websockets');
    return `ws://127.0.0.1:${this.wsPort}`;
  }

  get tlsUrl(): string {
    if (this.tlsPort === undefined) throw new Error('started without tls');
    return `mqtts://localhost:${this.tlsPort}`;
  }

  /** What the broker wrote to standard error so far (its log, with the `log_type`s given in extraConfig). */
  get log(): string {
    return this.stderr;
  }

  get running(): boolean {
    return this.process !== undefined;
  }

  static async start(options: MosquittoOptions = {}): Promise<Mosquitto> {
    const binary = findMosquitto();
    const dir = mkdtempSync(join(tmpdir(), 'mosquitto-test-'));
    // Started as root, mosquitto drops to the `mosquitto` user: it must still read its files here.
    chmodSync(dir, 0o755);
    const auth = options.users === undefined ? ['allow_anonymous true'] : passwordFileLines(dir, options.users);
    if (options.acl !== undefined) {
      const aclFile = join(dir, 'acl');
      writeFileSync(aclFile, options.acl);
      chmodSync(aclFile, 0o644);
      auth.push(`acl_file ${aclFile}`);
    }
    // A free port can be taken by a parallel test file before mosquitto binds it: then pick again.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const wsPort = options.websockets === true ? await freePort() : undefined;
      const tlsPort = options.tls === undefined ? undefined : await freePort();
      const lines = ['per_listener_settings false', 'persistence false', 'log_dest stderr', 'log_type error', 'log_type warning', ...auth, `listener ${port} 127.0.0.1`];
      if (wsPort !== undefined) lines.push(`listener ${wsPort} 127.0.0.1`, 'protocol websockets');
      if (options.tls !== undefined) {
        const { caFile, certFile, keyFile, requireClientCert } = options.tls;
        lines.push(`listener ${tlsPort} 127.0.0.1`, `cafile ${caFile}`, `certfile ${certFile}`, `keyfile ${keyFile}`, `require_certificate ${requireClientCert}`);
      }
      lines.push(...(options.extraConfig ?? []));
      const configFile = join(dir, 'mosquitto.conf');
      writeFileSync(configFile, `${lines.join('\n')}\n`);
      const broker = new Mosquitto(dir, port, wsPort, tlsPort, configFile, binary);
      try {
        await broker.launch();
        return broker;
      } catch (error) {
        if (attempt >= 3 || !String(error).includes('Address already in use')) throw error;
      }
    }
  }

  /** Starts the broker process (again, on the same port) and waits until it accepts connections. */
  async launch(): Promise<void> {
    if (this.process !== undefined) return;
    const child = spawn(this.binary, ['-c', this.configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.process = child;
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`mosquitto exited with ${code} before accepting connections:\n${this.stderr}`))),
    );
    exited.catch(() => undefined);
    const deadline = Date.now() + 10_000;
    try {
      for (;;) {
        const ok = await Promise.race([canConnect(this.port), exited]);
        if (ok) break;
        if (Date.now() > deadline) throw new Error(`mosquitto did not accept connections on ${this.port} within 10 s:\n${this.stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } catch (error) {
      this.process = undefined;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      throw error;
    }
    child.once('exit', () => {
      if (this.process === child) this.process = undefined;
    });
  }

  /** Stops the broker process (SIGTERM, then SIGKILL after 3 s); the config stays for `launch()`. */
  async halt(): Promise<void> {
    const child = this.process;
    if (child === undefined) return;
    this.process = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  async restart(): Promise<void> {
    await this.halt();
    await this.launch();
  }

  /** Stops the broker and removes its directory. */
  async stop(): Promise<void> {
    await this.halt();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Config lines for a password file holding `users`, made with `mosquitto_passwd -b`. */
function passwordFileLines(dir: string, users: Readonly<Record<string, string>>): string[] {
  const passwordFile = join(dir, 'passwd');
  writeFileSync(passwordFile, '');
  for (const [user, password] of Object.entries(users)) {
    const made = spawnSync('mosquitto_passwd', ['-b', passwordFile, user, password], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`mosquitto_passwd failed (is it installed?): ${made.stderr}${made.error?.message ?? ''}`);
  }
  chmodSync(passwordFile, 0o644);
  return ['allow_anonymous false', `password_file ${passwordFile}`];
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

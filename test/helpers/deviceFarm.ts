/**
 * Many simulated devices in one child process (`deviceFarmChild.ts`): real `MqttMirror`s against a
 * real broker. The child can be killed with SIGKILL (every socket drops at once: last wills), asked
 * to publish an event on every device, or stopped cleanly. The parent sees, from batched IPC
 * reports, how many are connected and when each (re)connection came up.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface FarmSpec {
  readonly url: string;
  readonly prefix?: string;
  /** Device ids are `<idPrefix><index, 6 digits>` for index from..from+count-1. */
  readonly idPrefix: string;
  readonly from: number;
  readonly count: number;
  readonly groups: readonly string[];
}

export type FarmRequest = { readonly type: 'event'; readonly reason: string } | { readonly type: 'stop' };
export type FarmReport =
  | { readonly type: 'started'; readonly count: number }
  | { readonly type: 'status'; readonly connected: number; readonly connectTimes: readonly number[] }
  | { readonly type: 'events-queued'; readonly count: number };

const childPath = fileURLToPath(new URL('./deviceFarmChild.ts', import.meta.url));

export class DeviceFarm {
  /** Devices connected now. */
  connected = 0;
  /** Epoch ms of every connection that came up, in arrival order (first connects and reconnects). */
  readonly connectTimes: number[] = [];
  private stderr = '';
  private exited = false;
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly spec: FarmSpec,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (report: FarmReport) => {
      if (report.type === 'status') {
        this.connected = report.connected;
        this.connectTimes.push(...report.connectTimes);
      }
      for (const listener of this.listeners) listener();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      // Keep the tail only: a crash message is what matters.
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    child.once('exit', () => {
      this.exited = true;
      for (const listener of this.listeners) listener();
    });
  }

  ids(): string[] {
    return Array.from({ length: this.spec.count }, (_, i) => `${this.spec.idPrefix}${String(this.spec.from + i).padStart(6, '0')}`);
  }

  static start(spec: FarmSpec): DeviceFarm {
    const child = fork(childPath, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, DEVICE_FARM: JSON.stringify(spec) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    return new DeviceFarm(spec, child);
  }

  /** Resolves when `condition()` holds (checked on every report); rejects after `timeoutMs` or if the child exits. */
  waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (condition()) finish();
        else if (this.exited) finish(new Error(`device farm ${this.spec.idPrefix} exited while waiting for ${what}:\n${this.stderr}`));
      };
      const timer = setTimeout(() => finish(new Error(`device farm ${this.spec.idPrefix}: ${what} not within ${timeoutMs} ms (connected ${this.connected}/${this.spec.count})\n${this.stderr}`)), timeoutMs);
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (error === undefined) resolve();
        else reject(error);
      };
      this.listeners.add(check);
    });
  }

  whenAllConnected(timeoutMs: number): Promise<void> {
    return this.waitFor(() => this.connected === this.spec.count, timeoutMs, 'all connected');
  }

  /** Every device publishes one `link-down` event with `reason` (queued by the mirror while offline). */
  publishEvent(reason: string): void {
    this.child.send({ type: 'event', reason } satisfies FarmRequest);
  }

  /** SIGKILL: the broker sees every connection drop without DISCONNECT and publishes the last wills. */
  async kill(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await gone;
  }

  /** Clean stop (retained `offline`, no wills); SIGKILL if it takes longer than `timeoutMs`. */
  async stop(timeoutMs = 20_000): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' } satisfies FarmRequest);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await gone;
    clearTimeout(timer);
  }
}

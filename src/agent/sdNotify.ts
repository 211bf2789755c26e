/**
 * systemd readiness and watchdog notifications (sd_notify), a no-op outside systemd.
 *
 * Node has no Unix datagram sockets, so instead of a native addon this runs `systemd-notify`,
 * which (without --no-block) waits until systemd has processed the message: no race with the
 * sender exiting. The unit sets NotifyAccess=all for that reason. One spawn per watchdog period
 * (half of WatchdogSec) costs a few milliseconds of CPU.
 */
import { execFile } from 'node:child_process';

export type NotifyRunner = (args: readonly string[], env: NodeJS.ProcessEnv) => Promise<void>;

export interface SystemdNotifierOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Runs systemd-notify; replaceable for tests. */
  readonly run?: NotifyRunner;
  /** Told once when a notification fails (systemd-notify missing, socket gone). */
  readonly onError?: (error: Error) => void;
}

export class SystemdNotifier {
  private readonly enabled: boolean;
  private readonly env: NodeJS.ProcessEnv;
  private readonly run: NotifyRunner;
  private readonly onError: (error: Error) => void;
  private failed = false;
  /** Half of WatchdogSec in ms, as sd_watchdog_enabled() advises; undefined when systemd set no watchdog. */
  readonly watchdogIntervalMs: number | undefined;

  constructor(options: SystemdNotifierOptions = {}) {
    const env = options.env ?? process.env;
    this.env = env;
    this.enabled = (env['NOTIFY_SOCKET'] ?? '') !== '';
    this.run = options.run ?? runSystemdNotify;
    this.onError = options.onError ?? (() => undefined);
    const usec = Number(env['WATCHDOG_USEC'] ?? '');
    const forUs = env['WATCHDOG_PID'] === undefined || Number(env['WATCHDOG_PID']) === process.pid;
    this.watchdogIntervalMs = this.enabled && forUs && usec > 0 ? Math.max(1000, Math.floor(usec / 2000)) : undefined;
  }

  get active(): boolean {
    return this.enabled;
  }

  ready(status?: string): Promise<void> {
    return this.send(['--ready', ...(status === undefined ? [] : [`--status=${status}`])]);
  }

  watchdog(): Promise<void> {
    return this.send(['WATCHDOG=1']);
  }

  stopping(): Promise<void> {
    return this.send(['STOPPING=1']);
  }

  status(text: string): Promise<void> {
    return this.send([`--status=${text}`]);
  }

  private async send(args: readonly string[]): Promise<void> {
    if (!this.enabled) return;
    try {
      await this.run([`--pid=${process.pid}`, ...args], this.env);
    } catch (error) {
      if (!this.failed) this.onError(error instanceof Error ? error : new Error(String(error)));
      this.failed = true;
    }
  }
}

function runSystemdNotify(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('systemd-notify', [...args], { timeout: 5000, env: { PATH: process.env['PATH'], ...env } }, (error, _stdout, stderr) => {
      if (error === null) resolve();
      else reject(new Error(`systemd-notify ${args.join(' ')} failed: ${stderr.trim() || error.message}`, { cause: error }));
    });
  });
}

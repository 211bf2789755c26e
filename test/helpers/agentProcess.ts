/**
 * `edge-sms-agent run` as a real child process for the end-to-end tests: spawned with a config
 * file, its pino log lines (standard error) kept and parsed across restarts, killed with any
 * signal, restarted on the same config and database. Also the local API client the tests post with.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** A pino log line as the agent writes it. */
export interface LogEntry {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

export const logLevels = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;

export class AgentProcess {
  /** Every log line of every life of the agent, parsed; lines that are not JSON are kept as `raw`. */
  readonly logs: LogEntry[] = [];
  readonly raw: string[] = [];
  /** Every JSON log line as written (to check what parsing hides, such as a key written twice). */
  readonly jsonLines: string[] = [];
  private child: ChildProcess | undefined;
  private exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  private partial = '';

  constructor(
    readonly configFile: string,
    private readonly env: NodeJS.ProcessEnv = {},
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    if (this.running) throw new Error('agent already running');
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'run', '--config', this.configFile], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, EDGE_SMS_CONFIG: '', ...this.env },
    });
    this.child = child;
    this.partial = '';
    child.stderr?.on('data', (chunk: Buffer) => this.take(chunk.toString()));
    this.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Resolves with the exit code and signal of the current life. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.exit === undefined) throw new Error('agent never started');
    return this.exit;
  }

  async kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child?.kill(signal);
    return this.exited();
  }

  /** Entries above `level` (pino numbers: 40 warn, 50 error). */
  above(level: number): LogEntry[] {
    return this.logs.filter((entry) => entry.level > level);
  }

  private take(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      try {
        const entry = JSON.parse(line) as LogEntry;
        if (typeof entry.level === 'number') {
          this.logs.push(entry);
          this.jsonLines.push(line);
        }
        else this.raw.push(line);
      } catch {
        this.raw.push(line);
      }
    }
  }
}

export interface ApiReply {
  readonly status: number;
  readonly text: string;
}

/** One HTTP request to the agent's local API over its Unix socket. */
export function callApi(socketPath: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiReply> {
  return new Promise((resolve, reject) => {
    const headers = body === undefined ? {} : { 'Content-Type': 'application/json' };
    const req = request({ socketPath, method, path, headers }, (res) => {
      let out = '';
      res.on('data', (chunk: Buffer) => (out += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: out }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

export async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until the API socket exists and answers GET /healthz. */
export async function waitForApi(socketPath: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (existsSync(socketPath)) {
      const answered = await callApi(socketPath, 'GET', '/healthz').then(() => true, () => false);
      if (answered) return;
    }
    if (Date.now() > deadline) throw new Error(`the agent's API at ${socketPath} did not answer within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Writes `dir/config.yaml` from YAML lines and returns its path. */
export function writeAgentConfig(dir: string, lines: readonly string[]): string {
  const config = join(dir, 'config.yaml');
  writeFileSync(config, lines.join('\n'));
  return config;
}

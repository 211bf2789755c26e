/**
 * The agent as the benchmark runs it: `edge-sms-agent run` in a child process (compiled from dist/,
 * as installed, or through tsx, as in development), with systemd's notify socket stood in for by
 * test/fakes/notify-socket.py, and its CPU time and memory read from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export type Flavour = 'compiled' | 'tsx';

/**
 * The variables of the shipped systemd unit (`Environment=` lines) that shape the process itself
 * rather than the agent's config: V8 flags in NODE_OPTIONS and glibc's MALLOC_* tunables. The agent
 * is measured as systemd runs it; NODE_ENV and EDGE_SMS_* are left out (the benchmark brings its
 * own config and database).
 */
export function unitProcessEnvironment(unitFile = `${root}systemd/edge-sms-agent.service`): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(unitFile, 'utf8').split('\n')) {
    // Environment=NAME=value, or the whole assignment quoted when the value holds spaces: Environment="NAME=a b".
    const match = /^Environment=(?:"(NODE_OPTIONS|MALLOC_[A-Z_]+)=(.*)"|(NODE_OPTIONS|MALLOC_[A-Z_]+)=(.*))$/.exec(line.trim());
    const name = match?.[1] ?? match?.[3];
    const value = match?.[2] ?? match?.[4];
    if (name !== undefined && value !== undefined) env[name] = value.replace(/^"(.*)"$/, '$1');
  }
  return env;
}

/** `npm run build` (tsc, then one module per part): the benchmark measures the agent as it is installed (node dist/cli/main.js). */
export function buildDist(): void {
  const steps: Array<[string, string[]]> = [
    ['tsc -p tsconfig.build.json', [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`]],
    ['scripts/bundleParts.ts', ['--import', 'tsx', `${root}scripts/bundleParts.ts`, `${root}dist`]],
  ];
  for (const [name, args] of steps) {
    const built = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: root });
    if (built.status !== 0) throw new Error(`${name} failed:\n${built.stdout}${built.stderr}`);
  }
}

export interface RunningAgent {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves (ms after spawn) when the agent sent READY=1. */
  readonly ready: Promise<number>;
  stop(): Promise<number | null>;
}

/** Starts `run --config FILE` (of this checkout, or of `checkout`) with NOTIFY_SOCKET pointed at a fresh stand-in socket, in the unit's process environment. */
export async function startAgent(config: string, flavour: Flavour, notifySocket: string, checkout = root): Promise<RunningAgent> {
  const listener = spawn('python3', [`${root}test/fakes/notify-socket.py`, notifySocket], { stdio: ['ignore', 'pipe', 'inherit'] });
  let lines = '';
  let onLine: ((line: string) => void) | undefined;
  listener.stdout.on('data', (chunk: Buffer) => {
    lines += chunk.toString();
    let newline: number;
    while ((newline = lines.indexOf('\n')) >= 0) {
      const line = lines.slice(0, newline);
      lines = lines.slice(newline + 1);
      onLine?.(line);
    }
  });
  await new Promise<void>((resolve) => (onLine = (line) => line === 'LISTENING' && resolve()));
  // `checkout`: another tree's build (a benchmark's before/after in one session).
  const base = checkout.endsWith('/') ? checkout : `${checkout}/`;
  const args = flavour === 'compiled' ? [`${base}dist/cli/main.js`] : ['--import', 'tsx', `${base}src/cli/main.ts`];
  const started = performance.now();
  const child = spawn(process.execPath, [...args, 'run', '--config', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...unitProcessEnvironment(), NOTIFY_SOCKET: notifySocket, EDGE_SMS_CONFIG: '' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<number>((resolve, reject) => {
    onLine = (line) => {
      if (line.includes('READY=1')) resolve(performance.now() - started);
    };
    void exited.then((code) => reject(new Error(`agent exited (${String(code)}) before READY:\n${stderr}`)));
  });
  ready.catch(() => undefined);
  return {
    child,
    pid: child.pid ?? 0,
    ready,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      listener.kill('SIGTERM');
      return code;
    },
  };
}

/** The installed agent (dist/) with the unit's environment, for benchmarks that watch it through its API, not READY. */
export interface SpawnedAgent {
  readonly child: ChildProcess;
  /** What it wrote to stderr so far (for the error when it exits early). */
  stderr(): string;
  /** SIGTERM unless it already exited; resolves when it has. */
  stop(): Promise<void>;
}

export function spawnAgent(config: string, env: Record<string, string> = {}): SpawnedAgent {
  const child = spawn(process.execPath, [`${root}dist/cli/main.js`, 'run', '--config', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...unitProcessEnvironment(), EDGE_SMS_CONFIG: '', ...env },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** CPU time (user + system) of a process so far, ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at ") ".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

/** Resident set size now and at its peak (VmHWM), MiB. */
/** VmRSS and VmHWM, and what the RSS is made of: anonymous memory (heaps), mapped files, shared memory (SQLite's -shm). */
export function rssMiB(pid: number): { now: number; peak: number; anon: number; file: number; shmem: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024, anon: kb('RssAnon') / 1024, file: kb('RssFile') / 1024, shmem: kb('RssShmem') / 1024 };
}

/** GET a path of the agent's local API (Unix socket), parsed as JSON. */
export function getJson<T>(socketPath: string, path: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path }, (res) => {
      let out = '';
      res.on('data', (chunk: Buffer) => (out += chunk.toString()));
      res.on('end', () => {
        try {
          resolve(JSON.parse(out) as T);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

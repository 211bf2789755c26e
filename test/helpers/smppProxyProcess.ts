/**
 * `edge-sms-agent smpp proxy` as a real child process: started with any options, its port read
 * from its first line, every later stdout line kept (parsed when --json), signalled like a user would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { TraceRecord } from '../../src/smpp/index.js';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;

export class ProxyProcess {
  readonly lines: string[] = [];
  readonly stderr: string[] = [];
  private readonly child: ChildProcess;
  private partial = '';
  readonly exited: Promise<number | null>;
  readonly port: Promise<number>;

  constructor(args: readonly string[]) {
    this.child = spawn(process.execPath, ['--import', 'tsx', cli, 'smpp', 'proxy', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let resolvePort: (port: number) => void = () => undefined;
    let rejectPort: (error: Error) => void = () => undefined;
    this.port = new Promise((resolve, reject) => {
      resolvePort = resolve;
      rejectPort = reject;
    });
    this.child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (this.partial + chunk.toString()).split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) {
        const port = /^listening on .*:(\d+)$/.exec(line)?.[1];
        if (port !== undefined && this.lines.length === 0) resolvePort(Number(port));
        this.lines.push(line);
      }
    });
    this.child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => {
      rejectPort(new Error(`proxy exited (${code}) before listening: ${this.stderr.join('')}`));
      resolve(code);
    }));
  }

  /** The JSON lines after the first (with --json). */
  records(): TraceRecord[] {
    return this.lines.slice(1).filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as TraceRecord);
  }

  signal(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  async stop(): Promise<number | null> {
    this.signal('SIGTERM');
    return this.exited;
  }
}

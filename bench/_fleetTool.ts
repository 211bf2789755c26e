/**
 * Runs the fleet CLI for the fleet benchmarks and counts what it prints without keeping it:
 * in-process (`main`, for times) or as its own Node process (for its peak RSS, read by the
 * `_maxRss.ts` preload at exit).
 */
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';

export interface ToolRun {
  readonly code: number;
  /** Lines on stdout. */
  readonly lines: number;
  /** Lines containing `needle` (e.g. `"online":true`). */
  readonly matching: number;
  readonly seconds: number;
  /** Peak RSS of the CLI process, MiB (child runs only). */
  readonly maxRssMiB?: number;
  readonly stderr: string;
}

/** A stdout that counts lines (and lines holding `needle`) and keeps nothing. */
class LineCounter extends Writable {
  lines = 0;
  matching = 0;
  private partial = '';

  constructor(private readonly needle: string) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    const text = this.partial + chunk.toString('utf8');
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      this.lines++;
      if (line.includes(this.needle)) this.matching++;
    }
    callback();
  }
}

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString('utf8');
    callback();
  }
}

export async function runTool(args: readonly string[], needle: string): Promise<ToolRun> {
  const stdout = new LineCounter(needle);
  const stderr = new Collect();
  const start = performance.now();
  const code = await main(args, { stdout, stderr });
  return { code, lines: stdout.lines, matching: stdout.matching, seconds: Math.round(performance.now() - start) / 1000, stderr: stderr.text };
}

const cliPath = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const rssPreload = new URL('./_maxRss.ts', import.meta.url).href;

/** The CLI as its own process; `seconds` includes Node and tsx start-up (~1 s). */
export function runToolProcess(args: readonly string[], needle: string): Promise<ToolRun> {
  const start = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', rssPreload, cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout = new LineCounter(needle);
  const stderr = new Collect();
  child.stdout.pipe(stdout);
  child.stderr.pipe(stderr);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const rss = /maxRSS (\d+)/.exec(stderr.text);
      resolve({
        code: code ?? 1,
        lines: stdout.lines,
        matching: stdout.matching,
        seconds: Math.round(performance.now() - start) / 1000,
        ...(rss?.[1] === undefined ? {} : { maxRssMiB: Math.round(Number(rss[1]) / 102.4) / 10 }),
        stderr: stderr.text,
      });
    });
  });
}

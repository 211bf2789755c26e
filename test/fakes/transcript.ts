/**
 * Transcript files (shared/modem/REFERENCE.md §9) as a fake serial port: the port checks that the host
 * writes exactly what the transcript's `>` lines say, in order, and answers each with the `<` lines that
 * follow it. A write that differs is recorded as a mismatch (and the port goes silent), so a test can fail
 * with the exact difference instead of a timeout.
 */
import { Duplex } from 'node:stream';

export interface HostStep {
  /** The command line (without CR), as typed. */
  readonly command: string;
  /** Bytes typed after the prompt, when the transcript has a `TEXT{CTRL-Z}` or `{ESC}` line for it. */
  readonly data?: string;
  readonly terminator?: '\x1a' | '\x1b';
}

export interface Transcript {
  readonly name: string;
  /** Modem output before the host says anything (boot URCs, an unsolicited +CMTI). */
  readonly preamble: string;
  readonly steps: ReadonlyArray<HostStep & { readonly answer: string; readonly promptAnswer?: string }>;
}

export function parseTranscript(name: string, text: string): Transcript {
  let preamble = '';
  const steps: Array<{ command: string; data?: string; terminator?: '\x1a' | '\x1b'; answer: string; promptAnswer?: string }> = [];
  for (const raw of text.split(/\r?\n/)) {
    if (raw.startsWith('#') || raw.trim() === '') continue;
    if (raw.startsWith('> ')) {
      const body = raw.slice(2);
      const last = steps.at(-1);
      const ctrlZ = body.endsWith('{CTRL-Z}');
      if (body === '{ESC}' || ctrlZ) {
        if (last === undefined || last.data !== undefined) throw new Error(`${name}: data line without a command before it: ${raw}`);
        last.promptAnswer = last.answer;
        last.answer = '';
        last.data = body === '{ESC}' ? '' : body.slice(0, -'{CTRL-Z}'.length);
        last.terminator = body === '{ESC}' ? '\x1b' : '\x1a';
        continue;
      }
      steps.push({ command: body, answer: '' });
      continue;
    }
    if (raw.startsWith('<')) {
      const bytes = modemBytes(raw.replace(/^< ?/, ''));
      const last = steps.at(-1);
      if (last === undefined) preamble += bytes;
      else last.answer += bytes;
      continue;
    }
    throw new Error(`${name}: line is neither comment, host nor modem: ${raw}`);
  }
  return { name, preamble, steps };
}

function modemBytes(body: string): string {
  if (body.startsWith('{echo}')) return `${body.slice(6)}\r`;
  if (body.startsWith('{cont}')) return `${body.slice(6)}\r\n`;
  if (body.startsWith('{prompt}')) return '\r\n> ';
  if (body.startsWith('{raw}')) {
    return body
      .slice(5)
      .replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
      .replace(/\\r/g, '\r')
      .replace(/\\n/g, '\n');
  }
  return `\r\n${body}\r\n`;
}

/** The host bytes of a step: the command and CR, then (after the prompt) data and its terminator. */
function hostSegments(step: HostStep): string[] {
  return step.data === undefined ? [`${step.command}\r`] : [`${step.command}\r`, `${step.data}${step.terminator ?? ''}`];
}

export class TranscriptPort extends Duplex {
  private readonly segments: Array<{ host: string; answer: string }> = [];
  private next = 0;
  private received = '';
  mismatch: string | undefined;

  constructor(private readonly transcript: Transcript) {
    super();
    for (const step of transcript.steps) {
      const [command, data] = hostSegments(step);
      if (data === undefined) this.segments.push({ host: command ?? '', answer: step.answer });
      else {
        this.segments.push({ host: command ?? '', answer: step.promptAnswer ?? '' });
        this.segments.push({ host: data, answer: step.answer });
      }
    }
  }

  /** Emits the preamble (boot URCs…). */
  start(): void {
    this.deliver(this.transcript.preamble);
  }

  /** Host steps not yet written. */
  get remaining(): number {
    return this.segments.length - this.next;
  }

  /** The next command the transcript expects (for the test's step runner). */
  get nextCommand(): string | undefined {
    return this.segments[this.next]?.host.replace(/\r$/, '');
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.mismatch === undefined) {
      this.received += chunk.toString('latin1');
      this.match();
    }
    done();
  }

  private match(): void {
    for (;;) {
      const segment = this.segments[this.next];
      if (segment === undefined) {
        if (this.received !== '') this.mismatch = `host wrote ${JSON.stringify(this.received)} after the transcript ended`;
        return;
      }
      if (this.received.startsWith(segment.host)) {
        this.received = this.received.slice(segment.host.length);
        this.next++;
        this.deliver(segment.answer);
        continue;
      }
      if (!segment.host.startsWith(this.received)) {
        this.mismatch = `host wrote ${JSON.stringify(this.received)}, transcript expects ${JSON.stringify(segment.host)}`;
      }
      return;
    }
  }

  private deliver(bytes: string): void {
    if (bytes === '') return;
    setImmediate(() => this.push(Buffer.from(bytes, 'latin1')));
  }
}

/**
 * AT framer: a pure transformer from serial bytes to AT tokens.
 *
 * V.25ter frames every line as `CR LF text CR LF`, but real modems are sloppier: echo ends with a bare
 * CR, some firmwares double the CR (`CR CR LF`), Gammu captures use bare CR, and the `> ` data prompt of
 * AT+CMGS has no terminator at all. So any run of CR/LF is one separator, empty lines are dropped, and
 * a `>` at the start of a line is the prompt (followed by an optional space). Bytes that cannot be part
 * of an AT line (control codes, runs of high bytes from a baud-rate mismatch) are handed out as garbage
 * instead of being thrown at: the framer never throws, whatever it is fed.
 */

export type AtToken =
  | { readonly kind: 'line'; readonly text: string }
  | { readonly kind: 'prompt' }
  | { readonly kind: 'garbage'; readonly bytes: Buffer };

/** Longest line we buffer; a +CMGL PDU line is under 400 characters, so 8 KiB means the line is garbage. */
export const maxLineLength = 8192;

const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;
const PROMPT = 0x3e; // '>'
const SPACE = 0x20;

/**
 * Final result codes and URCs that sometimes arrive glued to the previous line when a CR LF is lost on a
 * noisy UART. Splitting before them keeps one lost newline from hiding a final result or a new-SMS URC.
 */
const gluedStarts = /(?<=\S)(?=(?:\+CMTI: |\+CMT: |\+CDS: |\+CDSI: |\+CME ERROR:|\+CMS ERROR:|\+CREG: |\+CGREG: |\+CEREG: |\+CPIN: ))/;
const gluedFinal = /^(OK|ERROR)(?=\+[A-Z])/;

export class AtFramer {
  private line: number[] = [];
  private garbage: number[] = [];
  /** True just after a prompt: one following space belongs to it. */
  private afterPrompt = false;

  /** Feeds bytes and returns the tokens they complete. The partial line stays buffered. */
  push(chunk: Uint8Array): AtToken[] {
    const out: AtToken[] = [];
    for (const byte of chunk) {
      if (this.afterPrompt) {
        this.afterPrompt = false;
        if (byte === SPACE) continue;
      }
      if (byte === CR || byte === LF) {
        this.flushGarbage(out);
        this.endLine(out);
        continue;
      }
      if (byte === PROMPT && this.line.length === 0) {
        this.flushGarbage(out);
        out.push({ kind: 'prompt' });
        this.afterPrompt = true;
        continue;
      }
      if (isLineByte(byte)) {
        this.flushGarbage(out);
        this.line.push(byte);
        if (this.line.length > maxLineLength) {
          this.garbage.push(...this.line);
          this.line = [];
          this.flushGarbage(out);
        }
      } else {
        this.garbage.push(byte);
      }
    }
    this.flushGarbage(out);
    return out;
  }

  /** The buffered, unterminated text (used to spot a prompt variant or for diagnostics). */
  pending(): string {
    return Buffer.from(this.line).toString('latin1');
  }

  /** Ends the partial line, e.g. when the port closes. */
  flush(): AtToken[] {
    const out: AtToken[] = [];
    this.flushGarbage(out);
    this.endLine(out);
    return out;
  }

  reset(): void {
    this.line = [];
    this.garbage = [];
    this.afterPrompt = false;
  }

  private endLine(out: AtToken[]): void {
    if (this.line.length === 0) return;
    let start = 0;
    // No AT line starts with a high byte: leading ones are line noise glued to the next line (baud-rate hunt).
    while (start < this.line.length && (this.line[start] ?? 0) >= 0x80) start++;
    if (start > 0) out.push({ kind: 'garbage', bytes: Buffer.from(this.line.slice(0, start)) });
    const bytes = Buffer.from(this.line.slice(start));
    this.line = [];
    if (bytes.length === 0) return;
    if (looksLikeNoise(bytes)) {
      out.push({ kind: 'garbage', bytes });
      return;
    }
    const text = bytes.toString('latin1').trim();
    if (text.length === 0) return;
    for (const part of splitGlued(text)) out.push({ kind: 'line', text: part });
  }

  private flushGarbage(out: AtToken[]): void {
    if (this.garbage.length === 0) return;
    out.push({ kind: 'garbage', bytes: Buffer.from(this.garbage) });
    this.garbage = [];
  }
}

/** Printable ASCII, TAB, and high bytes (Latin-1 text-mode bodies); control codes are noise. */
function isLineByte(byte: number): boolean {
  return byte === TAB || (byte >= 0x20 && byte !== 0x7f && byte !== 0xff);
}

/** A line mostly made of high bytes is what a wrong baud rate looks like, not text. */
function looksLikeNoise(bytes: Buffer): boolean {
  let high = 0;
  for (const byte of bytes) if (byte >= 0x80) high++;
  return high * 2 > bytes.length;
}

function splitGlued(text: string): string[] {
  const final = gluedFinal.exec(text);
  const parts = final ? [final[1] ?? '', text.slice(final[0].length)] : [text];
  return parts.flatMap((part) => part.split(gluedStarts)).map((p) => p.trim()).filter((p) => p.length > 0);
}

/**
 * Sending: PDU mode (SMS-SUBMIT from the codec, AT+CMGS=<TPDU octets>, the PDU after the prompt) returning the
 * TP-MR of each part; text mode as fallback for modems whose PDU mode is unusable. The sent-parts registry
 * remembers (MR, recipient) so status reports can be matched: MR wraps at 255, so the recipient is checked too (G10).
 */
import { AgentError, ErrorCode } from '../../errors.js';
import type { DriverContext } from './context.js';
import { parseMessageReference } from './parsers.js';
import type { SentPart } from './types.js';
import type { SubmitPdu } from './smsCodec.js';

export interface SendRequest {
  readonly to: string;
  readonly text: string;
  /** Defaults to the profile's `sms.statusReports`. */
  readonly statusReport?: boolean;
  /** Caller's id for the message, echoed in matched status reports. */
  readonly messageId?: string;
}

/** Called as soon as a part's TP-MR is known: its status report can arrive before the next part is sent. */
export type OnReference = (reference: number, part: number, parts: number) => void;

export async function sendPdu(ctx: DriverContext, request: SendRequest, concatReference: number, onReference?: OnReference): Promise<number[]> {
  const parts = ctx.codec.encodeSubmit({
    to: request.to,
    text: request.text,
    statusReport: request.statusReport ?? ctx.profile.sms.statusReports,
    concatReference,
  });
  return sendPdus(ctx, parts, onReference);
}

export async function sendPdus(ctx: DriverContext, parts: readonly SubmitPdu[], onReference?: OnReference): Promise<number[]> {
  const references: number[] = [];
  // Parts go back to back: operators drop a multipart whose parts arrive minutes apart (gammu#345).
  for (const part of parts) {
    const command = `AT+CMGS=${part.tpduLength}`;
    const response = await ctx.send(command, { data: part.hex, timeoutMs: ctx.profile.timeouts.smsSendMs });
    const reference = requireReference(response.lines, command);
    references.push(reference);
    onReference?.(reference, references.length, parts.length);
  }
  return references;
}

/** One text-mode submission: AT+CMGS="<to>", then `body` and Ctrl-Z after the prompt. */
export async function submitTextPart(ctx: DriverContext, to: string, body: string): Promise<number> {
  const command = `AT+CMGS="${to}"`;
  const response = await ctx.send(command, { data: body, timeoutMs: ctx.profile.timeouts.smsSendMs });
  return requireReference(response.lines, command);
}

/** GSM 03.38 default alphabet characters (basic table) that text mode with CSCS="GSM" carries as typed. */
const gsmBasic = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà]*$/;

/**
 * Text mode: AT+CSMP for SRR and DCS, AT+CMGS="<da>" and the text. Non-GSM text goes as UCS2, which makes
 * the number and the text UCS2 hex (27.007 +CSCS); the character set is switched back afterwards (G11).
 * Text mode has no UDH, so long text goes as several separate messages.
 */
export async function sendText(ctx: DriverContext, request: SendRequest, onReference?: OnReference): Promise<number[]> {
  const srr = request.statusReport ?? ctx.profile.sms.statusReports;
  const fo = srr ? 49 : 17;
  const ucs2 = !gsmBasic.test(request.text);
  const chunk = ucs2 ? 70 : 160;
  const pieces = splitChars(request.text, chunk);
  const references: number[] = [];
  await ctx.send(`AT+CSMP=${fo},167,0,${ucs2 ? 8 : 0}`);
  if (ucs2) await ctx.send('AT+CSCS="UCS2"');
  try {
    for (const piece of pieces) {
      const to = ucs2 ? ucs2Hex(request.to) : request.to;
      // A CR inside text-mode input makes the modem prompt again (G5): send line breaks as spaces.
      const body = ucs2 ? ucs2Hex(piece) : piece.replace(/\r?\n/g, ' ');
      const reference = await submitTextPart(ctx, to, body);
      references.push(reference);
      onReference?.(reference, references.length, pieces.length);
    }
  } finally {
    if (ucs2) {
      await ctx.trySend('AT+CSCS="GSM"');
      await ctx.trySend(`AT+CSMP=${fo},167,0,0`);
    }
  }
  return references;
}

function requireReference(lines: readonly string[], command: string): number {
  const reference = parseMessageReference(lines);
  if (reference === undefined) throw new AgentError(`${command}: OK without +CMGS: <mr>`, ErrorCode.Modem_InvalidResponse, { command, lines });
  return reference;
}

function splitChars(text: string, size: number): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out.length === 0 ? [''] : out;
}

function ucs2Hex(text: string): string {
  let hex = '';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return hex;
}

/** Recently sent parts, for matching status reports; bounded so it cannot grow without limit. */
export class SentRegistry {
  private readonly parts: SentPart[] = [];

  constructor(private readonly capacity = 1024) {}

  add(part: SentPart): void {
    this.parts.push(part);
    if (this.parts.length > this.capacity) this.parts.shift();
  }

  /** The newest part with this MR whose recipient matches (national vs international forms compared by their tail). */
  match(reference: number, recipient: string): SentPart | undefined {
    const candidates = this.parts.filter((p) => p.reference === reference);
    const tail = digitsTail(recipient);
    const byRecipient = candidates.filter((p) => digitsTail(p.to) === tail);
    return byRecipient.at(-1) ?? (candidates.length === 1 ? candidates[0] : undefined);
  }
}

function digitsTail(number: string): string {
  return number.replace(/\D/g, '').slice(-9);
}

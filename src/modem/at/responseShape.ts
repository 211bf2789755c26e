/**
 * How a command's response is shaped: which prefix it answers with, which lines are echo, which headers
 * announce a PDU line, and how a failing final result becomes an AgentError with the +CME/+CMS number.
 */
import { AgentError, ErrorCode } from '../../errors.js';
import { intField, splitFields, splitPrefix } from './fields.js';
import type { FinalResult } from './results.js';
import { redactAtText } from './redact.js';

/** The parts of a command in flight these helpers look at. */
export interface FlightView {
  readonly command: string;
  readonly lines: readonly string[];
  readonly options: { readonly data?: string };
}

export function finalToError(flight: FlightView, final: Exclude<FinalResult, { kind: 'ok' }>): AgentError {
  const command = redactAtText(flight.command);
  const context = { command, lines: flight.lines };
  switch (final.kind) {
    case 'error':
      return new AgentError(`${command}: ${final.text}`, ErrorCode.Modem_CommandError, { ...context, result: final.text });
    case 'call':
      return new AgentError(`${command}: ${final.text}`, ErrorCode.Modem_CommandError, { ...context, result: final.text });
    case 'cme':
      return new AgentError(`${command}: +CME ERROR: ${final.raw} (${final.error.name})`, ErrorCode.Modem_CmeError, {
        ...context,
        cme: final.error.code,
        name: final.error.name,
        retry: final.error.retry,
        raw: final.raw,
      });
    case 'cms':
      return new AgentError(`${command}: +CMS ERROR: ${final.raw} (${final.error.name})`, ErrorCode.Modem_CmsError, {
        ...context,
        cms: final.error.code,
        name: final.error.name,
        retry: final.error.retry,
        raw: final.raw,
      });
  }
}

/** The information-text prefix a command answers with (`AT+CSQ` → `+CSQ`), and whether it reads state. */
export function commandShape(command: string): { prefix: string | undefined; isQuery: boolean } {
  const match = /^AT([+^*$#][A-Za-z0-9_]+)(.*)$/i.exec(command.trim());
  if (!match) return { prefix: undefined, isQuery: false };
  const rest = match[2] ?? '';
  return { prefix: (match[1] ?? '').toUpperCase(), isQuery: rest === '' || rest.endsWith('?') };
}

export function isEcho(line: string, flight: FlightView): boolean {
  if (flight.lines.length > 0) return false;
  const upper = line.toUpperCase();
  if (upper === flight.command.toUpperCase()) return true;
  const data = flight.options.data;
  return data !== undefined && (line === data || line === data.trimEnd());
}

/** `+CMGR: 0,"",24`, `+CMGL: 1,0,,63`, `+CMGRD: …`, `+CMGR: 24`: PDU-mode headers whose last field is the TPDU length. */
export function pduHeaderLength(line: string): { length: number; index: number } | undefined {
  const { prefix, rest } = splitPrefix(line);
  if (prefix !== '+CMGR' && prefix !== '+CMGL' && prefix !== '+CMGRD' && prefix !== '+QCMGR') return undefined;
  const fields = splitFields(rest);
  const length = intField(fields[fields.length - 1]);
  if (length === undefined || fields.length > 4) return undefined;
  const first = fields[0] ?? '';
  if (first !== '' && intField(first) === undefined) return undefined;
  return { length, index: -1 };
}

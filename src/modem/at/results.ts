/**
 * Final result codes: the lines that end a command (V.25ter §5.7, 27.007 §9.2, 27.005 §3.2.5).
 * `NO CARRIER`, `BUSY`, `NO ANSWER`, `NO DIALTONE` and `CONNECT` only end call-control commands
 * (ATD/ATA/ATO/ATH); at other times they are call events and go to the URC listeners.
 */
import { resolveError, type ResolvedError } from './errorTables.js';

export type FinalResult =
  | { readonly kind: 'ok' }
  | { readonly kind: 'error'; readonly text: string }
  | { readonly kind: 'cme'; readonly raw: string; readonly error: ResolvedError }
  | { readonly kind: 'cms'; readonly raw: string; readonly error: ResolvedError }
  | { readonly kind: 'call'; readonly text: string };

const callResults = /^(NO CARRIER|BUSY|NO ANSWER|NO DIALTONE|CONNECT(?: .*)?)$/;

/** Classifies a line as a final result code, or undefined when it is information text or a URC. */
export function parseFinalResult(line: string, callControl: boolean): FinalResult | undefined {
  if (line === 'OK' || line === '0') return line === 'OK' ? { kind: 'ok' } : undefined;
  if (line === 'ERROR') return { kind: 'error', text: line };
  // Huawei and other vendors' stand-ins for ERROR (ModemManager's serial parser treats them so).
  if (line === 'COMMAND NOT SUPPORT' || line === 'TOO MANY PARAMETERS' || /^MODEM ERROR:/.test(line)) {
    return { kind: 'error', text: line };
  }
  const cme = /^\+CME ERROR:?\s*(.*)$/i.exec(line);
  if (cme) return { kind: 'cme', raw: (cme[1] ?? '').trim(), error: resolveError('cme', cme[1] ?? '') };
  const cms = /^\+CMS ERROR:?\s*(.*)$/i.exec(line);
  if (cms) return { kind: 'cms', raw: (cms[1] ?? '').trim(), error: resolveError('cms', cms[1] ?? '') };
  if (callControl && callResults.test(line)) return { kind: 'call', text: line };
  return undefined;
}

/** True for commands whose final result can be a call-progress code. */
export function isCallControl(command: string): boolean {
  return /^AT(D|A|O|H)/i.test(command);
}

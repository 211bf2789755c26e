/**
 * The one door policy (DESIGN §8): every way a report gets in (the `report` CLI, POST /reports, the
 * MQTT `report` and `send-sms` commands, the SMS REPORT command, the GNSS poller) passes here, through
 * `Ingest`, before anything is written. One set of rules and one set of error codes:
 *  - Store_InvalidInput (field named in `context.field`): the shape, an unknown kind, a field name or
 *    value the wire format cannot carry, a destination that is not a phone number, a text outside GSM 7-bit;
 *  - Report_TooLarge: a reading or SMS that could never fit `reports.maxParts`, even alone.
 * What passes here can always be encoded and sent; the router still fails alone whatever reaches the
 * outbox another way (rows from older versions, written by hand: Report_Unsendable).
 */
import { AgentError, ErrorCode, isAgentError } from '../errors.js';
import type { Reading } from '../report/index.js';
import type { AgentConfig } from './config/index.js';
import { parseReadingInput, type ReadingInput } from './readingInput.js';
import { checkReadingFits, checkSmsFits, reportSizing, type ReportSizing } from './reportFit.js';

/** Kinds the agent queues itself without a configured policy: the SMS REPORT command's status reading. */
export const agentKinds: readonly string[] = ['status'];

const numberRule = /^\+?[0-9]{3,20}$/;

/** The door's rule for a destination: + and 3–20 digits. Exported so a door that checks early (the CLI) uses the same one. */
export function isPhoneNumber(value: string): boolean {
  return numberRule.test(value);
}
export const maxSmsTextLength = 1530;

export class DoorPolicy {
  private readonly sizing: ReportSizing;
  private readonly kinds: ReadonlySet<string>;

  constructor(private readonly config: AgentConfig) {
    this.sizing = reportSizing(config);
    this.kinds = new Set([...Object.keys(config.reports.kinds), ...agentKinds]);
  }

  /** The checked reading, typed; throws AgentError (Store_InvalidInput or Report_TooLarge) naming the fault. */
  reading(value: unknown, now: number): { readonly input: ReadingInput; readonly reading: Reading } {
    const input = parseReadingInput(value);
    if (!this.kinds.has(input.kind)) {
      throw new AgentError(`kind ${JSON.stringify(input.kind)} is not configured (known: ${[...this.kinds].sort().join(', ')}; add it under reports.kinds)`, ErrorCode.Store_InvalidInput, { field: 'kind' });
    }
    const reading: Reading = { kind: input.kind, time: input.time ?? Math.floor(now / 1000), fields: input.data };
    try {
      checkReadingFits(reading, this.config.reports.kinds[input.kind]?.encoding ?? 'text', this.sizing);
    } catch (error) {
      if (isAgentError(error) && error.code === ErrorCode.Report_Malformed) {
        throw new AgentError(`data: the report wire format cannot carry it: ${error.message}`, ErrorCode.Store_InvalidInput, { field: 'data' }, { cause: error });
      }
      throw error;
    }
    return { input, reading };
  }

  /** A plain SMS: a phone number and a GSM 7-bit text that splits within `maxParts`. */
  sms(to: unknown, text: unknown): { readonly to: string; readonly text: string } {
    if (typeof to !== 'string' || !numberRule.test(to)) throw new AgentError('to must be a number: + and 3-20 digits', ErrorCode.Store_InvalidInput, { field: 'to' });
    if (typeof text !== 'string' || text.length === 0 || text.length > maxSmsTextLength) {
      throw new AgentError(`text must be a string of 1..${maxSmsTextLength} characters`, ErrorCode.Store_InvalidInput, { field: 'text' });
    }
    checkSmsFits(text, this.sizing);
    return { to, text };
  }
}

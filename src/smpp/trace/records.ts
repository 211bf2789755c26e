/**
 * What an SMPP trace says, one record per line: the same shape from `smpp proxy --json`, the
 * agent's `GET /trace` and `edge-sms-agent trace --json`. `dir` is seen from the ESME: `out` is
 * ESME → SMSC, `in` is SMSC → ESME. Times are ISO 8601 with milliseconds; latencies in ms.
 */
export type TraceDir = 'out' | 'in';

/** One PDU as it crossed the link, decoded; a response carries its request and the latency. */
export interface PduRecord {
  readonly type: 'pdu';
  readonly at: string;
  readonly conn: number;
  readonly dir: TraceDir;
  /** The command's name, or its id in hex when it is not an SMPP command. */
  readonly command: string;
  readonly seq: number;
  readonly commandStatus: number;
  /** command_status by name (ESME_ROK, ESME_RTHROTTLED, …). */
  readonly status: string;
  readonly length: number;
  /** Addresses, ids and the text, when the PDU has them (passwords redacted to '*'s). */
  readonly fields?: Readonly<Record<string, string | number>>;
  /** Responses: the request they answer (absent when no request of that sequence was seen). */
  readonly request?: string;
  readonly latencyMs?: number;
  /** A response to no request seen on this link. */
  readonly unmatched?: true;
  /** Why the PDU did not decode (its header is still reported). */
  readonly error?: string;
}

/** A request that got no response: it timed out (`expired`) or the link closed first. */
export interface UnansweredRecord {
  readonly type: 'unanswered';
  readonly at: string;
  readonly conn: number;
  readonly dir: TraceDir;
  readonly command: string;
  readonly seq: number;
  readonly reason: 'expired' | 'closed';
  readonly ageMs: number;
}

export interface ConnectionRecord {
  readonly type: 'connection';
  readonly at: string;
  readonly conn: number;
  /** `unframeable`: a command_length below 16 in `dir`; the bytes still pass, the trace of that direction stops. */
  readonly event: 'open' | 'close' | 'unframeable';
  readonly dir?: TraceDir;
  /** The ESME's address (proxy) and the SMSC's. */
  readonly esme?: string;
  readonly smsc?: string;
  readonly reason?: string;
}

export interface LatencySummary {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface CommandSummary {
  /** Requests of this command seen (in either direction). */
  readonly requests: number;
  readonly responses: number;
  readonly unanswered: number;
  /** Over the responses' most recent latencies (10,000 per command in the proxy, 1,000 in the agent); null without responses. */
  readonly latencyMs: LatencySummary | null;
  /** Response command_status names and how often each came. */
  readonly statuses: Readonly<Record<string, number>>;
}

/** Per command (requests by their name), for one connection or (`conn: 'all'`) all of them. */
export interface SummaryRecord {
  readonly type: 'summary';
  readonly at: string;
  readonly conn: number | 'all';
  readonly pdus: number;
  readonly commands: Readonly<Record<string, CommandSummary>>;
}

export type TraceRecord = PduRecord | UnansweredRecord | ConnectionRecord | SummaryRecord;

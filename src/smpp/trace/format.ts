/**
 * Trace records as lines a person reads (the JSON form is the record itself):
 *
 *   12:00:01.204 #1 > submit_sm seq=7 ESME_ROK source_addr=ACME destination_addr=447700900001 text="T=21.5"
 *   12:00:01.221 #1 < submit_sm_resp seq=7 ESME_ROK message_id=5f3a  [submit_sm 17.2 ms]
 *   12:00:31.230 #1 ! submit_sm seq=9 unanswered (expired after 30000 ms)
 */
import type { CommandSummary, PduRecord, SummaryRecord, TraceRecord } from './records.js';

function clock(at: string): string {
  return at.slice(11, 23);
}

function value(v: string | number): string {
  return typeof v === 'number' || /^[\w.+*@:/-]+$/.test(v) ? String(v) : JSON.stringify(v);
}

function pduLine(record: PduRecord): string {
  const arrow = record.dir === 'out' ? '>' : '<';
  const fields = Object.entries(record.fields ?? {}).map(([name, v]) => `${name}=${value(v)}`);
  const pairing = record.request !== undefined ? `  [${record.request} ${record.latencyMs ?? 0} ms]` : record.unmatched === true ? '  [no request seen]' : '';
  const error = record.error === undefined ? '' : `  undecodable: ${record.error}`;
  return `${clock(record.at)} #${record.conn} ${arrow} ${record.command} seq=${record.seq} ${record.status}${fields.length > 0 ? ` ${fields.join(' ')}` : ''}${pairing}${error}`;
}

function commandLine(name: string, figures: CommandSummary): string {
  const latency = figures.latencyMs === null ? 'latency -' : `latency p50 ${figures.latencyMs.p50} p95 ${figures.latencyMs.p95} p99 ${figures.latencyMs.p99} max ${figures.latencyMs.max} ms`;
  const statuses = Object.entries(figures.statuses).map(([status, count]) => `${status}=${count}`).join(' ');
  return `  ${name.padEnd(22)} requests ${figures.requests} responses ${figures.responses} unanswered ${figures.unanswered}  ${latency}${statuses === '' ? '' : `  ${statuses}`}`;
}

export function formatSummary(record: SummaryRecord): string {
  const head = `${clock(record.at)} summary ${record.conn === 'all' ? 'all connections' : `#${record.conn}`}: ${record.pdus} PDUs`;
  return [head, ...Object.entries(record.commands).map(([name, figures]) => commandLine(name, figures))].join('\n');
}

export function formatRecord(record: TraceRecord): string {
  switch (record.type) {
    case 'pdu':
      return pduLine(record);
    case 'unanswered':
      return `${clock(record.at)} #${record.conn} ! ${record.command} seq=${record.seq} unanswered (${record.reason === 'expired' ? 'expired' : 'link closed'} after ${record.ageMs} ms)`;
    case 'connection':
      return `${clock(record.at)} #${record.conn} ${record.event === 'open' ? 'connected' : record.event === 'close' ? 'closed' : `cannot frame ${record.dir ?? ''} any more`}${record.esme === undefined ? '' : ` esme ${record.esme}`}${record.smsc === undefined ? '' : ` smsc ${record.smsc}`}${record.reason === undefined ? '' : ` (${record.reason})`}`;
    case 'summary':
      return formatSummary(record);
  }
}

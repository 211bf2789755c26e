/**
 * Debian's tshark reading our captures as a user would: `tshark -r FILE` with no preferences and
 * no -d. A missing tshark fails the test with the fix (scripts/test.sh installs it); it never skips.
 */
import { spawnSync } from 'node:child_process';

export interface DecodedPdu {
  readonly frame: number;
  readonly commandId: number;
  readonly seq: number;
  /** tshark shows command_status on responses only; requests read 0. */
  readonly status: number;
}

function tshark(args: readonly string[]): string {
  const result = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, HOME: '/nonexistent' } });
  if (result.error !== undefined) throw new Error(`tshark is not installed (${result.error.message}): apt-get install tshark, or run scripts/test.sh`);
  if (result.status !== 0) throw new Error(`tshark ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/** Every SMPP PDU tshark finds in the capture, in order (several PDUs in one frame come out one per entry). */
export function tsharkSmppPdus(file: string): DecodedPdu[] {
  // No -o, no -d; HOME points nowhere so no personal preferences apply either.
  const out = tshark(['-r', file, '-Y', 'smpp', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|',
    '-e', 'frame.number', '-e', 'smpp.command_id', '-e', 'smpp.sequence_number', '-e', 'smpp.command_status']);
  const pdus: DecodedPdu[] = [];
  for (const line of out.split('\n')) {
    if (line.trim() === '') continue;
    const [frame = '', ids = '', seqs = '', statuses = ''] = line.split('\t');
    const idList = ids.split('|');
    const seqList = seqs.split('|');
    // Requests have no command_status field in tshark's output: line statuses up with the responses.
    const statusList = statuses === '' ? [] : statuses.split('|');
    let nextStatus = 0;
    idList.forEach((id, i) => {
      const commandId = Number(id);
      const isResponse = (commandId & 0x80000000) !== 0;
      const status = isResponse ? Number(statusList[nextStatus++] ?? 0) : 0;
      pdus.push({ frame: Number(frame), commandId: commandId >>> 0, seq: Number(seqList[i]), status });
    });
  }
  return pdus;
}

/** The capture as tshark's JSON (-T json), for checks on any field. */
export function tsharkJson(file: string, filter = 'smpp'): Array<{ _source: { layers: Record<string, unknown> } }> {
  return JSON.parse(tshark(['-r', file, '-Y', filter, '-T', 'json'])) as Array<{ _source: { layers: Record<string, unknown> } }>;
}

/** tshark's own expert warnings about TCP (malformed, lost segments): none expected in a synthetic capture. */
export function tsharkTcpProblems(file: string): string[] {
  const out = tshark(['-r', file, '-Y', 'tcp.analysis.flags || _ws.malformed || _ws.expert.severity >= warning', '-T', 'fields', '-e', 'frame.number', '-e', '_ws.expert.message']);
  return out.split('\n').filter((line) => line.trim() !== '');
}

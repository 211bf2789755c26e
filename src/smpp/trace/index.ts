/** Seeing the link: trace records, request/response pairing with latencies, summaries, pcap captures. */
export type { CommandSummary, ConnectionRecord, LatencySummary, PduRecord, SummaryRecord, TraceDir, TraceRecord, UnansweredRecord } from './records.js';
export { LinkTracer, preciseNow, redactedBytes } from './tracer.js';
export type { LinkTracerOptions } from './tracer.js';
export { TraceSummary, percentiles } from './summary.js';
export { formatRecord, formatSummary } from './format.js';
export { describePdu } from './describe.js';
export { PcapFile, PcapRing, pcapGlobalHeader, readRing, linkTypeRaw } from './pcapFile.js';
export type { PacketSink } from './pcapFile.js';
export { TcpFlow, ipBytes } from './tcpFlow.js';
export type { FlowEndpoint } from './tcpFlow.js';

/** The SMPP analyser proxy (`edge-sms-agent smpp proxy`). */
export { SmppProxy } from './proxy.js';
export type { SmppProxyOptions } from './proxy.js';
export { parseUpstreamUrl } from './upstream.js';

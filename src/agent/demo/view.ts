/** The demo's live line and summary: what a newcomer needs to see, one line a second. */
import type { AgentStateSnapshot } from '../../mqtt/index.js';
import type { ReportMessage } from '../../report/index.js';

/** A report as the centre decoded it: sequence number, how many readings of which kinds, the newest values. */
export function reportLine(message: ReportMessage): string {
  const kinds = new Map<string, number>();
  for (const reading of message.readings) kinds.set(reading.kind, (kinds.get(reading.kind) ?? 0) + 1);
  const counts = [...kinds].map(([kind, count]) => `${count} ${kind}`).join(', ');
  const last = message.readings.at(-1);
  const sample = last === undefined ? '' : ` (last: ${Object.entries(last.fields).map(([name, value]) => `${name}=${String(value)}`).join(' ')})`;
  return `  SMSC ⇐ report seq ${message.seq} from device ${message.device}: ${counts}${sample}`;
}

export class DemoTally {
  readings = 0;
  smppParts = 0;
  modemParts = 0;
  maxBacklog = 0;
  mqttStates = 0;
  /** Readings the centre decoded from SMPP, by kind (the sensor's telemetry, the agent's own location reports). */
  readonly received = new Map<string, number>();
  readonly mqttEvents = new Set<string>();

  /** Counts what the MQTT mirror published on the device's topics. */
  mqtt(topic: string): void {
    if (topic.endsWith('/state')) this.mqttStates++;
    const event = /\/events\/([^/]+)$/.exec(topic)?.[1];
    if (event !== undefined) this.mqttEvents.add(event);
  }

  summary(state: AgentStateSnapshot): string[] {
    const { byState } = state.outbox;
    const parts = this.smppParts + this.modemParts;
    return [
      '',
      'Summary',
      `  readings handed to the agent   ${this.readings} (the sensor's telemetry, one a second, and the alarm)`,
      `  location reports               ${this.received.get('location') ?? 0} (made by the agent itself from the modem's GNSS fix as the device moved)`,
      `  readings the centre decoded    ${[...this.received].map(([kind, n]) => `${kind} ${n}`).join(', ') || 'none'} (over SMPP; the alarm went by modem)`,
      `  SMS parts sent                 ${parts} (SMPP ${this.smppParts}, modem ${this.modemParts}): readings wait up to their kind's maxDelayS and share an SMS; one SMS per reading would have taken ${this.readings}`,
      `  outbox at the end              delivered (receipt back) ${byState.delivered}, submitted (accepted, no receipt) ${byState.submitted}, waiting ${byState.queued + byState.sending}, failed ${byState.failed}, expired ${byState.expired}`,
      `  largest backlog                ${this.maxBacklog} reports, kept in SQLite while the SMSC was away`,
      `  MQTT mirror                    ${this.mqttStates} state updates; events: ${[...this.mqttEvents].sort().join(', ') || 'none'}`,
      '',
      'Next: README.md (install on a Pi, configure, MQTT topics, CLI); edge-sms-agent --help.',
    ];
  }
}

export function liveLine(elapsedS: number, state: AgentStateSnapshot | undefined, tally: DemoTally): string {
  if (state === undefined) return '';
  const { byState } = state.outbox;
  const backlog = byState.queued + byState.sending;
  tally.maxBacklog = Math.max(tally.maxBacklog, backlog);
  const smpp = state.smpp.state === 'bound' ? 'SMPP bound ' : `SMPP ${state.smpp.state.padEnd(6)}`;
  const modem = `modem ${state.modem.registration}${state.modem.signalDbm === null ? '' : ` ${state.modem.signalDbm}dBm`}`;
  const outbox = `waiting ${String(backlog).padStart(3)}  submitted ${String(byState.submitted).padStart(3)}  delivered ${String(byState.delivered).padStart(3)}`;
  const sent = `SMS ${tally.smppParts + tally.modemParts} for ${tally.readings} readings`;
  return `${elapsedS.toFixed(0).padStart(4)}s  ${smpp} | ${modem} | ${outbox} | ${sent}`;
}

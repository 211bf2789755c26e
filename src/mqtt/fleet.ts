/**
 * The fleet side's list: every device from its retained `status` and `state`, streamed as the
 * broker delivers them, so a 100,000-device fleet is printed while it arrives and never held whole.
 * Needs nothing from the broker but plain subscriptions and retained messages (cluster-wide on a
 * cluster: docs/fleet.md).
 */
import { AgentError, ErrorCode } from '../errors.js';
import { ConsumerBackpressure, connectFleetClient, type FleetClientOptions } from './fleetClient.js';
import { queueDepth, type PublishedState, type SmppLinkState } from './state.js';
import { defaultPrefix, deviceRetainedTopicPattern, validatePrefix } from './topics.js';


export interface FleetDevice {
  readonly id: string;
  /** From the retained status; null when the device never published one. */
  readonly online: boolean | null;
  readonly link: SmppLinkState | null;
  readonly signalDbm: number | null;
  readonly queueDepth: number | null;
  /** When the device last published its state (ISO 8601). */
  readonly lastSeen: string | null;
  readonly state: PublishedState | null;
}

export interface FleetListOptions extends FleetClientOptions {
  /** The list is complete once this long passes without a new retained message, ms; default 500. */
  readonly settleMs?: number;
  /** Stop collecting after this long in any case, ms; default 10000. */
  readonly timeoutMs?: number;
}

export interface FleetListSummary {
  readonly devices: number;
  readonly online: number;
  readonly offline: number;
  /** Devices with a state but no status. */
  readonly unknown: number;
}

function parseState(payload: Buffer): PublishedState | null {
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as PublishedState) : null;
  } catch {
    return null;
  }
}

function toFleetDevice(id: string, online: boolean | undefined, state: PublishedState | null): FleetDevice {
  const depth = state?.outbox?.byState === undefined ? null : queueDepth(state.outbox);
  return {
    id,
    online: online ?? null,
    link: state?.smpp?.state ?? null,
    signalDbm: state?.modem?.signalDbm ?? null,
    queueDepth: typeof depth === 'number' && Number.isFinite(depth) ? depth : null,
    lastSeen: state?.publishedAt ?? null,
    state,
  };
}

/** Takes one device; a returned promise (e.g. stdout's 'drain') holds the broker back until it settles. */
export type DeviceSink = (device: FleetDevice) => unknown;

/**
 * Calls `onDevice` once per device under the prefix, as its retained state arrives. Retained
 * messages carry no end marker, so the list ends once `settleMs` pass without a new one (or at
 * `timeoutMs`). One SUBSCRIBE asks for `+/status` before `+/state`, and brokers deliver the retained
 * messages of a SUBSCRIBE filter by filter, so each status is already known when its state comes:
 * a device is printed with its state, and only the small online flags wait (a device with a status
 * and no state is printed at the end). What is kept in memory is one id per device listed and one
 * flag per device not yet listed (~100 bytes a device), never the states.
 */
export async function streamFleet(options: FleetListOptions, onDevice: DeviceSink): Promise<FleetListSummary> {
  const prefix = validatePrefix(options.prefix ?? defaultPrefix);
  const pattern = deviceRetainedTopicPattern(prefix);
  const waitingStatus = new Map<string, boolean>();
  const listed = new Set<string>();
  const counts = { online: 0, offline: 0, unknown: 0 };
  const emit = (device: FleetDevice): unknown => {
    listed.add(device.id);
    if (device.online === null) counts.unknown++;
    else if (device.online) counts.online++;
    else counts.offline++;
    return onDevice(device);
  };
  const client = await connectFleetClient(options);
  let rearmQuiet = (): void => undefined;
  const flow = new ConsumerBackpressure(client, () => rearmQuiet());
  try {
    await new Promise<void>((resolve, reject) => {
      const settleMs = options.settleMs ?? 500;
      let quiet: NodeJS.Timeout | undefined;
      const deadline = setTimeout(finish, options.timeoutMs ?? 10_000);
      function finish(): void {
        clearTimeout(quiet);
        clearTimeout(deadline);
        resolve();
      }
      const rearm = (): void => {
        clearTimeout(quiet);
        // Quiet because the consumer holds the socket is not the end of the list: re-armed on resume.
        quiet = setTimeout(() => {
          if (!flow.paused) finish();
        }, settleMs);
      };
      rearmQuiet = rearm;
      client.on('message', (topic, payload) => {
        const match = pattern.exec(topic);
        const id = match?.[1];
        if (match === null || id === undefined) return;
        rearm();
        // A live update of a device already printed: the list is a snapshot, not a watch.
        if (listed.has(id)) return;
        if (match[2] === 'status') {
          // An empty retained payload is a deletion.
          if (payload.length === 0) waitingStatus.delete(id);
          else waitingStatus.set(id, payload.toString('utf8') === 'online');
        } else if (payload.length > 0) {
          flow.hold(emit(toFleetDevice(id, waitingStatus.get(id), parseState(payload))));
          waitingStatus.delete(id);
        }
      });
      const refused = (cause?: unknown): void => {
        clearTimeout(deadline);
        clearTimeout(quiet);
        reject(new AgentError(`the broker refused the subscription to ${prefix}/+/status and /state (ACL?)`, ErrorCode.Mqtt_Auth, { prefix }, { cause }));
      };
      client.subscribeAsync([`${prefix}/+/status`, `${prefix}/+/state`], { qos: 0 }).then((granted) => {
        // A refused subscription comes back as a SUBACK code >= 0x80, not as a rejection.
        if (granted.some((grant) => grant.qos > 2)) refused();
        else rearm();
      }, refused);
    });
  } finally {
    await client.endAsync().catch(() => client.end(true));
  }
  for (const [id, online] of waitingStatus) await emit(toFleetDevice(id, online, null));
  return { devices: listed.size, ...counts };
}

/** Every device, sorted by id, held in memory: for small fleets and tests; the CLI streams. */
export async function listFleet(options: FleetListOptions): Promise<FleetDevice[]> {
  const devices: FleetDevice[] = [];
  await streamFleet(options, (device) => {
    devices.push(device);
  });
  return devices.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

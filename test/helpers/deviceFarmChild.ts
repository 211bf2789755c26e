/**
 * The child process of `DeviceFarm`: many simulated devices, each a real `MqttMirror` (its own
 * connection, last will, retained status and state, command subscriptions) answering get-state.
 * Reports to the parent over IPC, batched every 100 ms: how many are connected now and when each
 * connection came up (epoch ms), so the parent can measure a reconnect spread.
 * Run as `node --import tsx deviceFarmChild.ts` with the spec in DEVICE_FARM (JSON).
 */
import { MqttMirror, type AgentStateSnapshot, type CommandHandlers } from '../../src/mqtt/index.js';
import { AgentError, ErrorCode } from '../../src/errors.js';
import type { FarmRequest, FarmReport, FarmSpec } from './deviceFarm.js';

const spec = JSON.parse(process.env['DEVICE_FARM'] ?? '{}') as FarmSpec;

function snapshot(index: number): AgentStateSnapshot {
  return {
    version: '0.1.0',
    uptimeSeconds: index,
    smpp: { state: 'bound', boundSince: null, windowInUse: index % 7, windowSize: 10, throttled: false },
    modem: { sim: 'ready', registration: 'home', operator: 'Farm', signalDbm: -60 - (index % 40), gnssFix: '3d' },
    outbox: {
      byState: { queued: index % 13, sending: 0, submitted: 0, delivered: index, failed: 0, expired: 0 },
      queuedByPriority: { critical: 0, high: 0, normal: index % 13, low: 0 },
      oldestQueuedAgeSeconds: null,
      drops: 0,
    },
    lastLocation: null,
  };
}

/** get-state answers; every other command is refused the way a device without that part would. */
function handlersFor(index: number): CommandHandlers {
  const refuse = (): Promise<never> => Promise.reject(new AgentError('not simulated', ErrorCode.Cli_Failed));
  return { getState: () => Promise.resolve(snapshot(index)), sendSms: refuse, report: refuse, locate: refuse, queue: refuse, setConfig: refuse, rebootModem: refuse };
}

let connected = 0;
let pendingTimes: number[] = [];
let changed = true;
const mirrors: MqttMirror[] = [];

for (let i = 0; i < spec.count; i++) {
  const index = spec.from + i;
  const mirror = new MqttMirror({
    url: spec.url,
    deviceId: `${spec.idPrefix}${String(index).padStart(6, '0')}`,
    ...(spec.prefix === undefined ? {} : { prefix: spec.prefix }),
    groups: spec.groups,
    handlers: handlersFor(index),
    // The default back-off (1 s doubling to 60 s, half jittered): the reconnect spread is what we measure.
    keepaliveSeconds: 60,
    connectTimeoutMs: 30_000,
  });
  mirror.on('connected', () => {
    connected++;
    pendingTimes.push(Date.now());
    changed = true;
  });
  mirror.on('disconnected', () => {
    connected--;
    changed = true;
  });
  mirror.updateState(snapshot(index));
  mirrors.push(mirror);
}

const send = (report: FarmReport): void => {
  process.send?.(report);
};

const ticker = setInterval(() => {
  if (!changed) return;
  changed = false;
  send({ type: 'status', connected, connectTimes: pendingTimes });
  pendingTimes = [];
}, 100);

process.on('message', (message: FarmRequest) => {
  if (message.type === 'event') {
    for (const mirror of mirrors) mirror.publishEvent({ type: 'link-down', link: 'smpp', reason: message.reason });
    send({ type: 'events-queued', count: mirrors.length });
  } else if (message.type === 'stop') {
    clearInterval(ticker);
    void Promise.all(mirrors.map((mirror) => mirror.stop())).then(() => process.exit(0));
  }
});
// The parent going away ends the farm: no orphaned devices.
process.on('disconnect', () => process.exit(0));

for (const mirror of mirrors) mirror.start();
send({ type: 'started', count: mirrors.length });

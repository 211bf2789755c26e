import { join } from 'node:path';
import { writeAgentConfig } from './agentProcess.js';
import { account } from './simSetup.js';

/**
 * The config the store's damage and loss tests share: SMPP to the simulator at `smscPort` (which may be away:
 * the readings then stay queued), no modem or location, telemetry sent at once, the database and the API
 * socket in `dir`, MQTT to `brokerUrl` or off.
 */
export function storeAgentConfig(dir: string, deviceId: string, smscPort: number, brokerUrl?: string, storeExtra = ''): { config: string; api: string; db: string } {
  const api = join(dir, 'api.sock');
  const db = join(dir, 'agent.db');
  const config = writeAgentConfig(dir, [
    `device: { id: ${deviceId} }`,
    'location: { enabled: false }',
    'modem: { enabled: false }',
    brokerUrl === undefined ? 'mqtt: { enabled: false }' : `mqtt: { url: "${brokerUrl}" }`,
    `smpp: { url: "smpp://${account.systemId}:${account.password}@127.0.0.1:${smscPort}?bind=trx", destination: "+447700900000", reconnectMinS: 0.2, reconnectMaxS: 1 }`,
    'reports: { kinds: { telemetry: { maxDelayS: 0 } } }',
    `store: { path: "${db}"${storeExtra === '' ? '' : `, ${storeExtra}`} }`,
    `api: { listen: "unix:${api}" }`,
    'log: { level: info }',
  ]);
  return { config, api, db };
}

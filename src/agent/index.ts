/**
 * The agent's public face: the runtime that starts and stops every part, its configuration, the
 * local ingest API's address parsing, systemd notification and the demo. The CLI reaches the agent
 * only through here.
 */
import type { DemoOptions } from './demo/scenario.js';
import type { DemoTally } from './demo/view.js';

export { Agent } from './runtime/agent.js';
export { outboxSnapshot } from './runtime/snapshot.js';
export { defaultConfigPath, loadConfig, redactConfig } from './config/index.js';
export { parseListen, type ApiAddress } from './api/index.js';
export { SystemdNotifier } from './sdNotify.js';
export { consoleStatusLines } from './console/statusLines.js';
export { queueOffline, type OfflineItem } from './offlineIngest.js';
export { isPhoneNumber } from './door.js';
export { signCommand, readKeyFile, type SignCommandOptions } from './signedCommands.js';
export type { HealthCheck, HealthProblem, HealthReport } from './health/index.js';
export type { DemoOptions, DemoTally };

/**
 * The demo, loaded on first use: it brings the SMSC simulator, the modem emulator and (without
 * Mosquitto) an in-process broker, none of which `run` needs. A static re-export here put all of
 * them, aedes included, into every agent process (~2 MiB of idle RSS, ~8 MiB more at start-up).
 */
export async function runDemo(options: DemoOptions): Promise<DemoTally> {
  const { runDemo: run } = await import('./demo/scenario.js');
  return run(options);
}

/**
 * The agent's public face: the runtime that starts and stops every part, its configuration, the
 * local ingest API's address parsing, systemd notification and the demo. The CLI reaches the agent
 * only through here.
 */
export { Agent } from './runtime/agent.js';
export { outboxSnapshot } from './runtime/snapshot.js';
export { defaultConfigPath, loadConfig, redactConfig } from './config/index.js';
export { parseListen, type ApiAddress } from './api.js';
export { SystemdNotifier } from './sdNotify.js';
export { runDemo } from './demo/scenario.js';

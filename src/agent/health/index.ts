/** The agent's health: problems with reasons, the health loop and the systemd watchdog it pets. */
export { healthyReport, summary, type HealthCheck, type HealthProblem, type HealthReport } from './model.js';
export { HealthMonitor, type HealthFacts, type WatchdogHooks } from './monitor.js';
export { StoreHealth, explainStoreError, storeFaultOf, type StoreFault } from './storeHealth.js';
export { createHealth, type AgentHealth, type HealthSources } from './agentHealth.js';

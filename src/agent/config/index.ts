export { agentConfigSchema, defaultKinds, type AgentConfig, type ReportKindConfig } from './agentConfig.js';
export { loadConfig, envName, defaultConfigPath, type LoadOptions } from './load.js';
export { redactConfig, redactUrlPassword, redacted } from './redact.js';
export { checkUrls } from './urls.js';

/**
 * The package's public API, for central-side code (an ESME, a webhook, a Node-RED function)
 * that wants the same codecs the agent uses.
 */
export { AgentError, ErrorCode, errorCodeName, isAgentError, hasErrorCode, isErrorInRange } from './errors.js';
export { agentVersion } from './version.js';
/** The modem part (AT channel, profiles, driver, SMS PDU codec), as one namespace. */
export * as modem from './modem/index.js';

/** The agent's version, reported in the MQTT state, the CLI and bind system_type logs. Kept in step with package.json by a test. */
export const agentVersion = '0.1.0';

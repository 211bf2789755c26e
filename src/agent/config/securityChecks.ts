/** Security settings that each key allows alone but that cannot work together. */
import type { AgentConfig } from './agentConfig.js';

export function checkSecurityCombinations(config: AgentConfig, fail: (key: string, message: string) => never): void {
  const { commands } = config;
  if (commands.key !== undefined && commands.keyFile !== undefined) fail('commands.keyFile', 'give commands.key or commands.keyFile, not both');
  if (!commands.unsigned && commands.key === undefined && commands.keyFile === undefined) {
    fail('commands.unsigned', 'false refuses every unsigned command, so a key is needed: set commands.key or commands.keyFile');
  }
  if (commands.lockoutMaxS < commands.lockoutS) fail('commands.lockoutMaxS', `must be at least commands.lockoutS (${commands.lockoutS} s), got ${commands.lockoutMaxS}`);
  if (config.smpp.caFile !== undefined && !/^smpps:/i.test(config.smpp.url ?? '')) {
    fail('smpp.caFile', 'is for TLS links: use an smpps:// URL, or remove caFile');
  }
  const { mqtt } = config;
  if ((mqtt.certFile === undefined) !== (mqtt.keyFile === undefined)) fail(mqtt.certFile === undefined ? 'mqtt.certFile' : 'mqtt.keyFile', 'mqtt.certFile and mqtt.keyFile go together');
}

/**
 * What `edge-sms-agent status` says about the console: where to open it and, when it is on the LAN,
 * the token, for the local admin only. The token is read from its file with the caller's own
 * rights: a user who cannot read the file is told where it is, not what it holds.
 */
import type { AgentConfig } from '../config/index.js';
import { readToken } from './lanServer.js';

export function consoleStatusLines(config: AgentConfig): string[] {
  if (!config.console.enabled) return [];
  const lines: string[] = [];
  if (!config.api.listen.startsWith('unix:')) lines.push(`console: http://${config.api.listen}/console/ (on this machine)`);
  const lan = config.console.lan;
  if (lan !== undefined) {
    const url = `${lan.certFile === undefined ? 'http' : 'https'}://${lan.listen}/console/`;
    let token: string;
    try {
      token = `token ${readToken(lan.tokenFile)}`;
    } catch {
      token = `token in ${lan.tokenFile} (not readable by this user: run status as root)`;
    }
    lines.push(`console on the LAN: ${url} ${token}`);
  }
  return lines;
}

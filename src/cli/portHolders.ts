/**
 * Who else has a serial device open: every process whose /proc/PID/fd links to it. ModemManager
 * (on by default on Raspberry Pi OS) probes USB modem ports and keeps them open, and its AT probes
 * garble ours; `modem info` names the holder instead of failing obscurely. Processes we may not
 * look into (another user's, without root) are skipped: the answer is then "none that I can see".
 */
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';

export interface PortHolder {
  readonly pid: number;
  readonly command: string;
}

export function portHolders(device: string, procRoot = '/proc', self = process.pid): PortHolder[] {
  let target: string;
  try {
    target = realpathSync(device);
  } catch {
    return [];
  }
  const holders: PortHolder[] = [];
  let entries: string[];
  try {
    entries = readdirSync(procRoot).filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  for (const name of entries) {
    const pid = Number(name);
    if (pid === self) continue;
    let fds: string[];
    try {
      fds = readdirSync(`${procRoot}/${name}/fd`);
    } catch {
      continue;
    }
    const holds = fds.some((fd) => {
      try {
        return readlinkSync(`${procRoot}/${name}/fd/${fd}`) === target;
      } catch {
        return false;
      }
    });
    if (holds) holders.push({ pid, command: commandOf(procRoot, name) });
  }
  return holders;
}

function commandOf(procRoot: string, pid: string): string {
  try {
    return readFileSync(`${procRoot}/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

/** "ModemManager (pid 612)" and the fix when it is ModemManager. */
export function describeHolders(device: string, holders: readonly PortHolder[]): string {
  const names = holders.map((holder) => `${holder.command} (pid ${holder.pid})`).join(', ');
  const mm = holders.some((holder) => holder.command === 'ModemManager')
    ? ' ModemManager probes modem ports: scripts/install.sh writes a udev rule that makes it ignore the agent\'s port (or: sudo systemctl disable --now ModemManager).'
    : holders.some((holder) => holder.command === 'node' || holder.command.startsWith('edge-sms'))
      ? ' If that is the agent, stop it first (sudo systemctl stop edge-sms-agent): one program per serial port.'
      : '';
  return `${device} is also open in ${names}.${mm}`;
}

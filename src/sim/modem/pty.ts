/**
 * A real pseudo-terminal pair for the emulator: `socat -d -d pty,raw,echo=0,link=PATH pty,raw,echo=0`
 * creates two linked ptys and prints both device names; the host side is reachable at PATH (what the driver
 * opens with serialport, exactly like /dev/ttyUSB2), and the emulator opens the other one the same way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { SerialPort } from 'serialport';
import { AgentError, ErrorCode } from '../../errors.js';

export interface PtyPair {
  /** The path the host (driver) opens: the `link=` symlink. */
  readonly link: string;
  /** The emulator's end, opened. */
  readonly port: SerialPort;
  close(): Promise<void>;
}

export async function openPtyPair(link: string, baudRate: number, timeoutMs = 5000): Promise<PtyPair> {
  let child: ChildProcess;
  try {
    child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${link}`, 'pty,raw,echo=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (cause) {
    throw missingSocat(cause);
  }
  const devices = await new Promise<string[]>((resolve, reject) => {
    let text = '';
    const found: string[] = [];
    const timer = setTimeout(() => reject(new AgentError(`socat did not report its ptys within ${timeoutMs} ms: ${text}`, ErrorCode.Modem_PortOpenFailed, { link })), timeoutMs);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error.code === 'ENOENT' ? missingSocat(error) : error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new AgentError(`socat exited (${code}) before the ptys were ready: ${text.trim()}`, ErrorCode.Modem_PortOpenFailed, { link }));
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      for (const match of text.matchAll(/PTY is (\/dev\/\S+)/g)) if (match[1] && !found.includes(match[1])) found.push(match[1]);
      // "starting data transfer loop" comes after both ptys exist and the link is made.
      if (found.length === 2 && /starting data transfer loop/.test(text)) {
        clearTimeout(timer);
        resolve(found);
      }
    });
  });
  const ours = devices[1] ?? '';
  const port = new SerialPort({ path: ours, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  let closed = false;
  return {
    link,
    port,
    async close() {
      if (closed) return;
      closed = true;
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
      if (child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

function missingSocat(cause: unknown): AgentError {
  return new AgentError('socat is not installed: the modem emulator needs it to create a pseudo-terminal (apt-get install socat; scripts/test.sh installs it)', ErrorCode.Modem_PortOpenFailed, { tool: 'socat' }, { cause });
}

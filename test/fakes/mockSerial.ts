/** A `@serialport/binding-mock` port with helpers to play the modem side: emit bytes, await the host's writes. */
import { SerialPortMock } from 'serialport';

let counter = 0;

export interface MockModemPort {
  readonly port: SerialPortMock;
  /** Bytes the host has written so far, as latin1 text. */
  written(): string;
  /** Resolves once the host has written `text` (anywhere after `from`); returns the index after it. */
  waitForWrite(text: string, from?: number): Promise<number>;
  emit(text: string | Buffer): void;
  close(): Promise<void>;
}

export async function openMockModemPort(): Promise<MockModemPort> {
  const path = `/dev/MOCKMODEM${++counter}`;
  // SerialPortMock's own MockBinding (the CommonJS copy): the ESM import of @serialport/binding-mock is a
  // separate module instance whose port registry SerialPortMock never sees.
  SerialPortMock.binding.createPort(path, { echo: false, record: true });
  const port = new SerialPortMock({ path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const written = (): string => port.port?.recording.toString('latin1') ?? '';
  return {
    port,
    written,
    async waitForWrite(text, from = 0) {
      for (let i = 0; i < 2000; i++) {
        const at = written().indexOf(text, from);
        if (at >= 0) return at + text.length;
        await new Promise((r) => setImmediate(r));
      }
      throw new Error(`host never wrote ${JSON.stringify(text)}; wrote ${JSON.stringify(written())}`);
    },
    emit(text) {
      port.port?.emitData(typeof text === 'string' ? Buffer.from(text, 'latin1') : text);
    },
    close: () => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
  };
}

/** Lets the mock binding deliver emitted data (it reads asynchronously). */
export function flushIo(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * A size check on the raw bytes from the broker, ahead of mqtt.js's parser.
 *
 * mqtt-packet buffers a whole packet before anyone sees it, and mqtt.js checks the size it
 * advertised in CONNECT (MQTT 5 Maximum Packet Size) only after that, so a 30 MB PUBLISH is
 * held in memory whole (twice: the buffer list and the payload slice) before it is refused. An
 * MQTT 5 broker must not send such a packet (MQTT 5 §3.1.2.11.4: Mosquitto drops it for this
 * client and logs "Dropping too large outgoing PUBLISH"), but an MQTT 3.1.1 broker cannot be told,
 * and a broker may ignore the property. So the framing is followed here, byte by byte: the fixed
 * header's Remaining Length announces each packet's size before its body arrives, and a packet
 * over the limit ends the connection at once. What was read of it is at most one socket read.
 * The clean session means the broker does not send it again after the reconnect.
 */

export type ScanResult =
  | { readonly kind: 'ok' }
  /** A packet announced `bytes` in all (fixed header included); `type` is its MQTT packet type (3: PUBLISH). */
  | { readonly kind: 'oversize'; readonly bytes: number; readonly type: number }
  /** A Remaining Length of more than four bytes: not MQTT. */
  | { readonly kind: 'malformed' };

/** Follows MQTT framing across chunks; a pure transformer that never throws and keeps no payload. */
export class PacketSizeScanner {
  private phase: 'type' | 'length' | 'body' = 'type';
  private type = 0;
  private length = 0;
  private lengthBytes = 0;
  private bodyLeft = 0;
  private stopped: ScanResult | undefined;

  constructor(private readonly maxPacketBytes: number) {}

  /** Scans one chunk; once a packet is over the limit (or the stream is not MQTT) that answer stays. */
  push(chunk: Uint8Array): ScanResult {
    if (this.stopped !== undefined) return this.stopped;
    let offset = 0;
    while (offset < chunk.length) {
      if (this.phase === 'body') {
        const taken = Math.min(this.bodyLeft, chunk.length - offset);
        this.bodyLeft -= taken;
        offset += taken;
        if (this.bodyLeft === 0) this.phase = 'type';
        continue;
      }
      const byte = chunk[offset++] ?? 0;
      if (this.phase === 'type') {
        this.type = byte >> 4;
        this.length = 0;
        this.lengthBytes = 0;
        this.phase = 'length';
        continue;
      }
      // Remaining Length: 7 bits a byte, least significant first, at most four bytes.
      this.length += (byte & 0x7f) * 128 ** this.lengthBytes;
      this.lengthBytes++;
      if ((byte & 0x80) !== 0) {
        if (this.lengthBytes === 4) return (this.stopped = { kind: 'malformed' });
        continue;
      }
      const total = 1 + this.lengthBytes + this.length;
      if (total > this.maxPacketBytes) return (this.stopped = { kind: 'oversize', bytes: total, type: this.type });
      this.bodyLeft = this.length;
      this.phase = this.length === 0 ? 'type' : 'body';
    }
    return { kind: 'ok' };
  }
}

/** The smallest readable stream surface the guard needs (a socket, a TLS socket, mqtt.js's WebSocket duplex). */
export interface GuardedStream {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  destroy(): unknown;
}

/**
 * Watches `stream` (alongside mqtt.js's own pipe: listeners on 'data' see each chunk in turn) and
 * destroys it at the first packet over `maxPacketBytes`, after telling `onRefused` once.
 */
export function guardPacketSize(stream: GuardedStream, maxPacketBytes: number, onRefused: (result: Exclude<ScanResult, { kind: 'ok' }>) => void): void {
  const scanner = new PacketSizeScanner(maxPacketBytes);
  let refused = false;
  stream.on('data', (chunk) => {
    if (refused) return;
    const result = scanner.push(chunk);
    if (result.kind === 'ok') return;
    refused = true;
    stream.destroy();
    onRefused(result);
  });
}

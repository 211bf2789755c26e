/**
 * Turns a TCP byte stream into whole PDUs, whatever the chunk boundaries.
 *
 * The 16-octet header is checked before anything is allocated (gosmpp's Parse does the same):
 * - command_length < 16 can never be resynchronised, so the framer reports `invalid` once and
 *   ignores the rest of the stream; the session must close the link;
 * - command_length > maxPduSize is reported as `oversize` (with the command id and sequence
 *   number, so the link can answer generic_nack) and its bytes are dropped as they stream past;
 * - otherwise one buffer of exactly command_length is filled, or, when the whole PDU sits inside
 *   one chunk, a view of that chunk is returned without copying.
 * push never throws: garbage becomes events.
 */
import { AgentError, ErrorCode } from '../../errors.js';
import { SmppDecodeError } from './decodeError.js';
import { CommandStatus } from './status.js';

export type FramerEvent =
  | { kind: 'pdu'; bytes: Buffer }
  | { kind: 'oversize'; commandLength: number; commandId: number; sequenceNumber: number }
  | { kind: 'invalid'; error: SmppDecodeError };

export interface PduFramerOptions {
  /** Largest PDU accepted, in octets including the header; at least 16. Default 65,536. */
  readonly maxPduSize?: number;
}

const headerSize = 16;

export class PduFramer {
  readonly maxPduSize: number;
  private readonly header = Buffer.alloc(headerSize);
  private headerFill = 0;
  /** The PDU being assembled across chunks. */
  private frame: Buffer | undefined;
  private frameFill = 0;
  /** Octets of an oversize PDU still to discard. */
  private skipping = 0;
  private dead = false;

  constructor(options: PduFramerOptions = {}) {
    const max = options.maxPduSize ?? 65_536;
    if (!Number.isInteger(max) || max < headerSize) {
      throw new AgentError(`maxPduSize: must be an integer ≥ ${headerSize}, got ${String(max)}`, ErrorCode.Codec_InvalidField, { maxPduSize: max });
    }
    this.maxPduSize = max;
  }

  /** Octets held for an incomplete PDU (bounded by maxPduSize). */
  get buffered(): number {
    return this.frame === undefined ? this.headerFill : this.frameFill;
  }

  push(chunk: Buffer): FramerEvent[] {
    const events: FramerEvent[] = [];
    this.feed(chunk, chunk.length, (bytes) => {
      events.push({ kind: 'pdu', bytes });
      return true;
    }, (event) => {
      events.push(event);
      return true;
    });
    return events;
  }

  /**
   * push() without an event object per PDU: `chunk[0, end)` is framed and each whole PDU goes to
   * `pdu` (a view of `chunk` when it lies inside it, else a buffer of its own), anything else to
   * `other`. Either returns false to stop framing this chunk (the link closed). `end` lets a
   * caller that reads into one reused buffer hand it over without a view per read.
   */
  feed(chunk: Buffer, end: number, pdu: (bytes: Buffer) => boolean, other: (event: FramerEvent) => boolean): void {
    if (this.dead) return;
    let pos = 0;
    const length = end;
    while (pos < length) {
      if (this.skipping > 0) {
        const take = Math.min(this.skipping, length - pos);
        this.skipping -= take;
        pos += take;
        continue;
      }
      if (this.frame !== undefined) {
        const take = Math.min(this.frame.length - this.frameFill, length - pos);
        chunk.copy(this.frame, this.frameFill, pos, pos + take);
        this.frameFill += take;
        pos += take;
        if (this.frameFill === this.frame.length) {
          const frame = this.frame;
          this.frame = undefined;
          this.frameFill = 0;
          if (!pdu(frame)) return;
        }
        continue;
      }
      // Fast path: a whole header at hand in this chunk, nothing half-read.
      if (this.headerFill === 0 && length - pos >= headerSize) {
        const commandLength = chunk.readUInt32BE(pos);
        if (commandLength >= headerSize && commandLength <= this.maxPduSize && length - pos >= commandLength) {
          const at = pos;
          pos += commandLength;
          if (!pdu(chunk.subarray(at, pos))) return;
          continue;
        }
        chunk.copy(this.header, 0, pos, pos + headerSize);
        this.headerFill = headerSize;
        pos += headerSize;
      } else {
        const take = Math.min(headerSize - this.headerFill, length - pos);
        chunk.copy(this.header, this.headerFill, pos, pos + take);
        this.headerFill += take;
        pos += take;
        if (this.headerFill < headerSize) continue;
      }
      this.headerFill = 0;
      if (!this.startFrame(pdu, other)) return;
    }
  }

  /** Acts on a complete header; false when the stream is dead. */
  private startFrame(pdu: (bytes: Buffer) => boolean, other: (event: FramerEvent) => boolean): boolean {
    const header = this.header;
    const commandLength = header.readUInt32BE(0);
    const commandId = header.readUInt32BE(4);
    const sequenceNumber = header.readUInt32BE(12);
    if (commandLength < headerSize) {
      this.dead = true;
      const error = new SmppDecodeError(
        `command_length ${commandLength} is shorter than the 16-octet header; the stream cannot be resynchronised`,
        ErrorCode.Codec_InvalidCommandLength,
        CommandStatus.ESME_RINVCMDLEN,
        { commandId, sequenceNumber },
      );
      other({ kind: 'invalid', error });
      return false;
    }
    if (commandLength > this.maxPduSize) {
      this.skipping = commandLength - headerSize;
      return other({ kind: 'oversize', commandLength, commandId, sequenceNumber });
    }
    const frame = Buffer.allocUnsafe(commandLength);
    header.copy(frame, 0);
    if (commandLength === headerSize) return pdu(frame);
    this.frame = frame;
    this.frameFill = headerSize;
    return true;
  }
}

/**
 * One TCP (or TLS) connection carrying PDUs: bytes → framer → decoded PDUs in, PDUs → encoded
 * bytes out. It knows nothing of binds or windows; the session above it does.
 *
 * PDUs written while one callback and the promise jobs it sets off run are collected and leave as
 * one buffer in one socket.write, from process.nextTick: Node runs the tick queue once the
 * microtask queue is empty, so every request freed by the responses of one read (each caller's
 * `.then` is a microtask) goes out together, and the stream machinery runs once instead of once
 * per PDU. No timer and no loop turn is waited for: the write happens before the event loop
 * moves on. (An earlier setImmediate flush cost a check-phase callback per read; against an SMSC
 * that writes each response separately that is one per submit.)
 */
import type { Socket } from 'node:net';
import { CommandStatus, decodePdu, encodePdu, isSmppDecodeError, PduFramer, SmppDecodeError, type FramerEvent, type Pdu } from '../codec/index.js';
import { AgentError, ErrorCode } from '../../errors.js';

export interface LinkHandlers {
  /**
   * After each read: whether it completed at least one PDU (only whole PDUs prove the peer alive;
   * bytes trickling in do not) and whether a PDU is now half-read (it must complete in time).
   */
  readonly progress?: (completed: boolean, pending: boolean) => void;
  /** A whole, decoded PDU. */
  readonly pdu: (pdu: Pdu, bytes: Buffer) => void;
  /** A whole PDU that did not decode, or a PDU larger than the maximum (its bytes were skipped). */
  readonly undecodable: (error: SmppDecodeError, bytes: Buffer | undefined) => void;
  /** The socket is gone (after end, error or destroy); `error` when it did not close cleanly. */
  readonly closed: (error: AgentError | undefined) => void;
}

export interface SocketEnds {
  readonly local: { readonly address: string; readonly port: number };
  readonly remote: { readonly address: string; readonly port: number };
}

export class PduLink {
  private readonly framer: PduFramer;
  /** PDUs waiting for the end of this loop turn. */
  private readonly outgoing: Buffer[] = [];
  private outgoingBytes = 0;
  private isClosed = false;
  /** Set by the framer callbacks when a read completed a PDU; read and cleared once per read. */
  private completed = false;
  private closeError: AgentError | undefined;
  private readonly flush = (): void => {
    const chunks = this.outgoing;
    const count = chunks.length;
    if (count === 0) return;
    const out = count === 1 ? chunks[0]! : Buffer.concat(chunks, this.outgoingBytes);
    // The one array is emptied and kept, not replaced: one allocation less per write.
    chunks.length = 0;
    this.outgoingBytes = 0;
    if (this.isClosed || this.socket.destroyed) return;
    this.socket.write(out);
  };

  /** True when chunks are views of a buffer the socket reuses (see connect.ts): PDUs must not keep them. */
  private readonly reused: boolean;

  constructor(
    private readonly socket: Socket,
    maxPduSize: number,
    private readonly handlers: LinkHandlers,
    onRead?: (handler: (buffer: Buffer, length: number) => void) => void,
  ) {
    this.framer = new PduFramer({ maxPduSize });
    socket.setNoDelay(true);
    this.reused = onRead !== undefined;
    if (onRead !== undefined) onRead((buffer, length) => this.receive(buffer, length));
    else socket.on('data', (chunk: Buffer) => this.receive(chunk, chunk.length));
    socket.on('error', (error) => {
      this.closeError ??= new AgentError(`SMPP link error: ${error.message}`, ErrorCode.Smpp_ConnectionClosed, {}, { cause: error });
    });
    socket.on('end', () => socket.end());
    socket.on('close', () => this.finish());
  }

  get closed(): boolean {
    return this.isClosed;
  }

  get remote(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  get endpoints(): SocketEnds {
    const s = this.socket;
    return { local: { address: s.localAddress ?? '0.0.0.0', port: s.localPort ?? 0 }, remote: { address: s.remoteAddress ?? '0.0.0.0', port: s.remotePort ?? 0 } };
  }

  /** Encodes and queues a PDU. Encoding errors (a field too long) throw AgentError to the caller; nothing is written. */
  send(pdu: Pdu): Buffer {
    const bytes = encodePdu(pdu);
    this.write(bytes);
    return bytes;
  }

  /** Queues raw bytes (fault injection and tests). */
  write(bytes: Buffer): void {
    if (this.isClosed || this.socket.destroyed) return;
    if (this.outgoing.length === 0) process.nextTick(this.flush);
    this.outgoing.push(bytes);
    this.outgoingBytes += bytes.length;
  }

  /** Ends the connection after what was written has been flushed. */
  end(): void {
    if (this.isClosed) return;
    this.flush();
    this.socket.end();
  }

  /** Closes at once (a dead link, or tearing down). */
  destroy(error?: AgentError): void {
    if (error !== undefined) this.closeError ??= error;
    if (!this.isClosed) this.socket.destroy();
  }

  private receive(chunk: Buffer, end: number): void {
    this.completed = false;
    this.framer.feed(chunk, end, this.onFrame, this.onFramerEvent);
    // Once per read, not per PDU: a clock read per response was a measurable share of the hot path.
    if (!this.isClosed) this.handlers.progress?.(this.completed, this.framer.buffered > 0);
  }

  /** A whole PDU from the framer; false stops framing (the link closed). */
  private readonly onFrame = (frame: Buffer): boolean => {
    this.completed = true;
    let bytes = frame;
    // Requests (deliver_sm, data_sm…) carry octets the application may keep: decode them
    // from a copy when the read buffer is reused. Responses are decoded in place and only
    // their octet TLVs (rare) are copied out.
    const isRequest = bytes.length >= 8 && (bytes[4]! & 0x80) === 0;
    if (this.reused && isRequest) bytes = Buffer.from(bytes);
    let pdu: Pdu;
    try {
      pdu = decodePdu(bytes);
    } catch (error) {
      if (!isSmppDecodeError(error)) throw error;
      this.handlers.undecodable(error, bytes);
      return !this.isClosed;
    }
    if (this.reused && !isRequest && pdu.tlvs.length > 0) detachTlvs(pdu);
    this.handlers.pdu(pdu, bytes);
    return !this.isClosed;
  };

  /** The framer's other events: an oversize PDU skipped, or a stream that cannot be framed. */
  private readonly onFramerEvent = (event: FramerEvent): boolean => {
    switch (event.kind) {
      case 'pdu':
        return this.onFrame(event.bytes);
      case 'oversize': {
        // Answered (generic_nack, ESME_RINVCMDLEN), then the link is closed: skipping up to 4 GB
        // of a peer that announces such a PDU would keep a dead link looking alive for hours.
        this.handlers.undecodable(
          new SmppDecodeError(`PDU of ${event.commandLength} octets is larger than the ${this.framer.maxPduSize}-octet maximum`,
            ErrorCode.Codec_PduTooLarge, CommandStatus.ESME_RINVCMDLEN, {
              commandId: event.commandId,
              sequenceNumber: event.sequenceNumber,
            }),
          undefined,
        );
        this.flush();
        this.destroy(new AgentError(`SMPP peer announced a PDU of ${event.commandLength} octets, above the ${this.framer.maxPduSize}-octet maximum: link closed`,
          ErrorCode.Smpp_ConnectionClosed, { commandLength: event.commandLength }));
        return false;
      }
      case 'invalid':
        // command_length < 16: there is no next PDU to find in this stream.
        this.destroy(new AgentError(`SMPP stream cannot be framed: ${event.error.message}`, ErrorCode.Smpp_ConnectionClosed, {}, { cause: event.error }));
        return false;
    }
  };

  private finish(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.handlers.closed(this.closeError);
  }
}

function detachTlvs(pdu: Pdu): void {
  for (const item of pdu.tlvs) if (Buffer.isBuffer(item.value)) item.value = Buffer.from(item.value);
}

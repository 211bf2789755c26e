/** The report wire format (docs/wire-format.md): encode on the device, decode at the centre. */
export type { FieldValue, Reading, ReportMessage } from './model.js';
export { formatVersion, maxSequence, validateMessage } from './model.js';
export { encodeTextReport, decodeTextReport, textMagic } from './textFormat.js';
export { encodeBinaryReport, decodeBinaryReport, binaryMagic } from './binaryFormat.js';
export { decodeReport } from './decode.js';
export { SequenceTracker, type SequenceVerdict, type SequenceTrackerOptions } from './sequence.js';
export { planBatch, buildMessage, type PendingReading, type BatchOptions, type BatchPlan } from './batch.js';
export { reportPartCapacity, partsNeeded, type PartCapacity, type CapacityOptions, type ReportEncoding } from './parts.js';
export { ReportReceiver, type ReceivedSms, type ReportReceiverOptions } from './receiver.js';

/** The SMSC simulator's public face. */
export { SmscSimulator } from './server.js';
export type { MoMessage, SmscEvents } from './server.js';
export type { SmscAccount, SmscFaults, SmscOptions, ReceiptOptions } from './options.js';
export type { SmscConnection } from './connection.js';
export type { ThrottleWindow } from './throttle.js';
export type { StoredMessage } from './messageStore.js';

/** Simulators for testing and demos: the SMSC and the modem emulator. */
export * from './smsc/index.js';
export * from './modem/index.js';

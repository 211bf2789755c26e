/** Simulators for testing and demos: the SMSC (and, from its own issue, the modem emulator). */
export * from './smsc/index.js';

/** `modem info`: every state and identity query, each tolerated when the modem refuses it. */
import { ErrorCode, isAgentError } from '../../errors.js';
import type { DriverContext } from './context.js';
import { parseDigits, parseIccid, parseText } from './parsers.js';
import type { ModemDriver } from './modemDriver.js';
import type { ModemInfo } from './types.js';

export async function readModemInfo(driver: ModemDriver, ctx: DriverContext): Promise<ModemInfo> {
  const id = ctx.profile.identity;
  // A refused query leaves its field undefined; a dead port or a silent modem still fails the whole read.
  const safe = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      if (isAgentError(error) && (error.code === ErrorCode.Modem_PortClosed || error.code === ErrorCode.Modem_Timeout)) throw error;
      return undefined;
    }
  };
  const sim = (await safe(() => driver.readSim())) ?? 'unknown';
  const registration = (await safe(() => driver.readRegistration())) ?? {};
  return {
    sim,
    registration,
    registered: driver.registered,
    operator: await safe(() => driver.readOperator()),
    signal: await safe(() => driver.readSignal()),
    extendedSignal: await safe(() => driver.readExtendedSignal()),
    imei: await safe(async () => parseDigits((await ctx.send(id.imei)).lines, 14, 17)),
    imsi: sim === 'ready' ? await safe(async () => parseDigits((await ctx.send(id.imsi)).lines, 6, 15)) : undefined,
    iccid: await safe(async () => parseIccid((await ctx.send(id.iccid)).lines)),
    model: await safe(async () => parseText((await ctx.send(id.model)).lines)),
    firmware: await safe(async () => parseText((await ctx.send(id.firmware)).lines)),
    gnss: await safe(() => driver.readGnss()),
  };
}

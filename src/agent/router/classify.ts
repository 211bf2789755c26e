/**
 * How a failed send is retried, decided from the error the link gave:
 *  - throttled: the SMSC asked us to slow down (ESME_RTHROTTLED, ESME_RMSGQFUL) — soon, and it costs no attempt;
 *  - permanent: the message itself is refused (bad destination, bad data coding…) — `failed` at once;
 *  - link lost: the link dropped under the message or was not bound (it was never refused) — treated as
 *    throttled: the router sends nothing until a link is up again, so "soon" means "once it is back",
 *    and an SMSC's outages must not use up a report's attempts. As temporary, a message cut off by an
 *    SMSC restart waited out a 30 s back-off after the link had long returned (the outage drill showed it);
 *  - temporary: everything else (timeouts, SMSC trouble) — later, with back-off.
 * Unknown statuses are temporary: retrying a little too often costs less than losing a report.
 */
import { isAgentError, ErrorCode } from '../../errors.js';
import { CommandStatus, commandStatusName } from '../../smpp/index.js';
import type { ErrorClass } from './types.js';

const throttled = new Set<number>([CommandStatus.ESME_RTHROTTLED, CommandStatus.ESME_RMSGQFUL]);

/** The link went away under the message (or was not there): nothing the SMSC said about the message itself. */
const linkLost = new Set<number>([ErrorCode.Smpp_NotBound, ErrorCode.Smpp_ConnectionClosed, ErrorCode.Smpp_Closing]);

const permanent = new Set<number>([
  CommandStatus.ESME_RINVMSGLEN,
  CommandStatus.ESME_RINVPRTFLG,
  CommandStatus.ESME_RINVREGDLVFLG,
  CommandStatus.ESME_RINVSRCADR,
  CommandStatus.ESME_RINVDSTADR,
  CommandStatus.ESME_RINVSERTYP,
  CommandStatus.ESME_RINVESMCLASS,
  CommandStatus.ESME_RINVSRCTON,
  CommandStatus.ESME_RINVSRCNPI,
  CommandStatus.ESME_RINVDSTTON,
  CommandStatus.ESME_RINVDSTNPI,
  CommandStatus.ESME_RINVSCHED,
  CommandStatus.ESME_RINVEXPIRY,
  CommandStatus.ESME_RX_P_APPN,
  CommandStatus.ESME_RX_R_APPN,
  CommandStatus.ESME_RINVPARLEN,
  CommandStatus.ESME_RINVOPTPARSTREAM,
  CommandStatus.ESME_RINVOPTPARAMVAL,
  CommandStatus.ESME_RSERTYPUNAUTH,
  CommandStatus.ESME_RPROHIBITED,
  CommandStatus.ESME_RSERTYPDENIED,
  CommandStatus.ESME_RINVDCS,
]);

/**
 * +CMS ERROR causes (3GPP TS 24.011 RP-causes and 27.005 §3.2.5) that mean the number or the message is
 * wrong rather than the network: unassigned number, barring, transfer rejected, unknown subscriber,
 * facility not subscribed, invalid mandatory information, invalid PDU/text parameters, SMSC address unknown.
 * The modem's error table may say it too (context.retry); network and ME trouble stays temporary.
 */
const permanentCms = new Set<number>([1, 8, 10, 21, 28, 29, 30, 50, 96, 97, 304, 305, 330]);
const congestionCms = 42;

export function classifySendError(error: unknown): { readonly errorClass: ErrorClass; readonly reason: string } {
  if (!isAgentError(error)) return { errorClass: 'temporary', reason: error instanceof Error ? error.message : String(error) };
  const status = error.context['commandStatus'];
  if (typeof status === 'number') {
    const errorClass = throttled.has(status) ? 'throttled' : permanent.has(status) ? 'permanent' : 'temporary';
    return { errorClass, reason: `${commandStatusName(status)}: ${error.message}` };
  }
  if (linkLost.has(error.code)) return { errorClass: 'throttled', reason: `link lost: ${error.describe()}` };
  const cms = error.context['cms'];
  if (error.code === ErrorCode.Modem_CmsError && typeof cms === 'number') {
    const retry = error.context['retry'];
    const errorClass = cms === congestionCms ? 'throttled' : permanentCms.has(cms) || retry === false ? 'permanent' : 'temporary';
    return { errorClass, reason: `+CMS ERROR ${cms}: ${error.message}` };
  }
  // Encoding problems will not go away by retrying the same payload.
  if (error.code === ErrorCode.Codec_UnencodableText || error.code === ErrorCode.Codec_PduTooLarge || error.code === ErrorCode.Report_TooLarge) {
    return { errorClass: 'permanent', reason: error.describe() };
  }
  return { errorClass: 'temporary', reason: error.describe() };
}

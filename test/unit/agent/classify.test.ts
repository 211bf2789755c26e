import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifySendError } from '../../../src/agent/router/classify.js';
import { AgentError, ErrorCode } from '../../../src/errors.js';
import { CommandStatus } from '../../../src/smpp/index.js';

const smpp = (status: number) => new AgentError('submit_sm refused', ErrorCode.Smpp_CommandFailed, { commandStatus: status });
const cms = (code: number, retry?: boolean) => new AgentError('AT+CMGS failed', ErrorCode.Modem_CmsError, { cms: code, ...(retry === undefined ? {} : { retry }) });

describe('classifySendError', () => {
  it('reads SMPP statuses', () => {
    assert.equal(classifySendError(smpp(CommandStatus.ESME_RTHROTTLED)).errorClass, 'throttled');
    assert.equal(classifySendError(smpp(CommandStatus.ESME_RMSGQFUL)).errorClass, 'throttled');
    assert.equal(classifySendError(smpp(CommandStatus.ESME_RINVDSTADR)).errorClass, 'permanent');
    assert.equal(classifySendError(smpp(CommandStatus.ESME_RINVDCS)).errorClass, 'permanent');
    assert.equal(classifySendError(smpp(CommandStatus.ESME_RSYSERR)).errorClass, 'temporary');
    assert.equal(classifySendError(smpp(CommandStatus.ESME_RX_T_APPN)).errorClass, 'temporary');
    assert.equal(classifySendError(smpp(0x0444)).errorClass, 'temporary', 'unknown vendor status: retry rather than lose');
    assert.match(classifySendError(smpp(CommandStatus.ESME_RINVDSTADR)).reason, /^ESME_RINVDSTADR: /);
  });

  it('reads +CMS ERROR causes and the modem table hint', () => {
    assert.equal(classifySendError(cms(42)).errorClass, 'throttled');
    assert.equal(classifySendError(cms(1)).errorClass, 'permanent');
    assert.equal(classifySendError(cms(330)).errorClass, 'permanent');
    assert.equal(classifySendError(cms(38)).errorClass, 'temporary');
    assert.equal(classifySendError(cms(500)).errorClass, 'temporary');
    assert.equal(classifySendError(cms(999, false)).errorClass, 'permanent');
  });

  it('treats timeouts, dropped links and plain errors as temporary, unencodable payloads as permanent', () => {
    assert.equal(classifySendError(new AgentError('no resp', ErrorCode.Smpp_ResponseTimeout)).errorClass, 'temporary');
    assert.equal(classifySendError(new AgentError('closed', ErrorCode.Smpp_ConnectionClosed)).errorClass, 'temporary');
    assert.equal(classifySendError(new Error('boom')).errorClass, 'temporary');
    assert.equal(classifySendError(new AgentError('x', ErrorCode.Codec_UnencodableText)).errorClass, 'permanent');
  });
});

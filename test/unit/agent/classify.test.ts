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

  it('retries a message the link dropped under (or that found no link) as soon as a link is back, at no attempt', () => {
    // The SMSC never refused these: with a temporary back-off they waited ~30 s after the link returned.
    for (const code of [ErrorCode.Smpp_ConnectionClosed, ErrorCode.Smpp_NotBound, ErrorCode.Smpp_Closing]) {
      const verdict = classifySendError(new AgentError('submit_sm not acknowledged: the link dropped', code, { acknowledged: false }));
      assert.equal(verdict.errorClass, 'throttled');
      assert.match(verdict.reason, /^link lost: /);
    }
  });

  it('treats timeouts and plain errors as temporary, unencodable payloads as permanent', () => {
    assert.equal(classifySendError(new AgentError('no resp', ErrorCode.Smpp_ResponseTimeout)).errorClass, 'temporary');
    assert.equal(classifySendError(new Error('boom')).errorClass, 'temporary');
    assert.equal(classifySendError(new AgentError('x', ErrorCode.Codec_UnencodableText)).errorClass, 'permanent');
  });
});

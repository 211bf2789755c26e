/**
 * The SMSC's answers to message requests: submit_sm, submit_multi, data_sm (accept and give a
 * message id), query_sm, cancel_sm, replace_sm (act on the stored message). Pure with respect
 * to the socket: each returns the response PDU; the connection sends it.
 */
import { CommandStatus, MessageState, createResponse, formatReceiptDate, type Pdu, type PduOf } from '../../smpp/index.js';
import type { SmscConnection } from './connection.js';
import type { SmscContext } from './context.js';
import { MessageStore } from './messageStore.js';

const empty = Buffer.alloc(0);

type MessageRequest = PduOf<'submit_sm' | 'submit_multi' | 'data_sm' | 'query_sm' | 'cancel_sm' | 'replace_sm'>;

export function handleMessageRequest(pdu: MessageRequest, connection: SmscConnection, context: SmscContext): Pdu {
  const systemId = connection.systemId ?? '';
  switch (pdu.command) {
    case 'submit_sm':
    case 'data_sm': {
      if (pdu.destination_addr === '') return createResponse(pdu, CommandStatus.ESME_RINVDSTADR);
      const message = context.store.add({
        systemId, sourceAddr: pdu.source_addr, destinationAddr: pdu.destination_addr,
        shortMessage: pdu.command === 'submit_sm' ? pdu.short_message : empty, registeredDelivery: pdu.registered_delivery,
      }, Date.now());
      context.accepted(message, connection);
      return createResponse(pdu, CommandStatus.ESME_ROK, { message_id: message.id });
    }
    case 'submit_multi': {
      const unsuccess: Array<{ dest_addr_ton: number; dest_addr_npi: number; destination_addr: string; error_status_code: number }> = [];
      let accepted = 0;
      let id = '';
      for (const dest of pdu.dest_address) {
        if (dest.dest_flag === 2) {
          // Distribution lists live in a real SMSC's provisioning; the simulator has none.
          unsuccess.push({ dest_addr_ton: 0, dest_addr_npi: 0, destination_addr: dest.dl_name, error_status_code: CommandStatus.ESME_RINVDLNAME });
          continue;
        }
        if (dest.destination_addr === '') {
          unsuccess.push({ dest_addr_ton: dest.dest_addr_ton, dest_addr_npi: dest.dest_addr_npi, destination_addr: '', error_status_code: CommandStatus.ESME_RINVDSTADR });
          continue;
        }
        const message = context.store.add({
          systemId, sourceAddr: pdu.source_addr, destinationAddr: dest.destination_addr,
          shortMessage: pdu.short_message, registeredDelivery: pdu.registered_delivery,
        }, Date.now());
        if (accepted++ === 0) id = message.id;
        context.accepted(message, connection);
      }
      if (accepted === 0) return createResponse(pdu, CommandStatus.ESME_RINVNUMDESTS, { message_id: '', unsuccess_sme: unsuccess });
      return createResponse(pdu, CommandStatus.ESME_ROK, { message_id: id, unsuccess_sme: unsuccess });
    }
    case 'query_sm': {
      const message = context.store.get(pdu.message_id, systemId);
      if (message === undefined) return createResponse(pdu, CommandStatus.ESME_RQUERYFAIL, { message_id: pdu.message_id });
      return createResponse(pdu, CommandStatus.ESME_ROK, {
        message_id: message.id,
        final_date: message.doneAt === undefined ? '' : smppAbsoluteTime(new Date(message.doneAt)),
        message_state: message.state,
        error_code: message.errorCode,
      });
    }
    case 'cancel_sm': {
      const message = context.store.get(pdu.message_id, systemId);
      if (message === undefined || MessageStore.isFinal(message.state)) return createResponse(pdu, CommandStatus.ESME_RCANCELFAIL);
      message.state = MessageState.DELETED;
      message.doneAt = Date.now();
      return createResponse(pdu, CommandStatus.ESME_ROK);
    }
    case 'replace_sm': {
      const message = context.store.get(pdu.message_id, systemId);
      if (message === undefined || MessageStore.isFinal(message.state)) return createResponse(pdu, CommandStatus.ESME_RREPLACEFAIL);
      message.shortMessage = Buffer.from(pdu.short_message);
      return createResponse(pdu, CommandStatus.ESME_ROK);
    }
  }
}

/** SMPP absolute time (v3.4 §7.1.1): YYMMDDhhmmsstnnp, UTC. */
function smppAbsoluteTime(date: Date): string {
  return `${formatReceiptDate(date, true)}000+`;
}

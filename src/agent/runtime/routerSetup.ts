/**
 * The config turned into the router's and the outbox's options: which senders exist, the kinds'
 * routing and store policies, destinations, part capacities and windows. Pure mapping, so the
 * agent's start-up reads as the order things come up in.
 */
import { systemClock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { InboxListener, KindPolicy, OutboxOptions, Store, StoreOptions } from '../../store/index.js';
import type { AgentConfig } from '../config/index.js';
import { ModemSender, type ModemSms } from '../links/modemSender.js';
import { SmppSender, type SmppRequester } from '../links/smppSender.js';
import { classifySendError } from '../router/classify.js';
import type { LinkStates } from '../router/linkChoice.js';
import { OutboxRouterStore } from '../router/outboxRouterStore.js';
import { Router, type RouterOptions } from '../router/router.js';
import { reportSizing } from '../reportFit.js';
import { plainSmsKind } from './ingest.js';

export interface RouterLinks {
  readonly smpp?: SmppRequester;
  readonly modem?: ModemSms;
  readonly states: () => LinkStates;
  readonly smppWindow: number;
}

export function createRouter(config: AgentConfig, store: Store, links: RouterLinks, logger: Logger, hooks: Pick<RouterOptions, 'onUnsendable' | 'onSubmitted'> = {}): Router {
  const sizing = reportSizing(config);
  const receipts = Object.values(config.reports.kinds).some((kind) => kind.receipts);
  const { smpp, modem } = links;
  return new Router({
    store: new OutboxRouterStore(store.outbox),
    senders: {
      ...(smpp === undefined ? {} : { smpp: new SmppSender(smpp, { source: config.smpp.source, split: config.smpp.split, port: config.reports.port, maxParts: config.reports.maxParts, receipts }) }),
      ...(modem === undefined ? {} : { modem: new ModemSender(modem, { port: config.reports.port, maxParts: config.reports.maxParts, statusReports: receipts }) }),
    },
    links: links.states,
    kinds: (kind) => {
      const policy = config.reports.kinds[kind];
      return { maxDelayMs: (policy?.maxDelayS ?? 0) * 1000, encoding: policy?.encoding ?? 'text', modemFallback: policy?.modemFallback ?? false };
    },
    device: sizing.device,
    destinations: { smpp: config.smpp.destination, modem: config.modem.destination ?? config.smpp.destination },
    maxParts: sizing.maxParts,
    capacity: sizing.capacity,
    smsSplit: sizing.split,
    ...hooks,
    fallbackAfterMs: config.modem.fallbackAfterS * 1000,
    windows: { smpp: links.smppWindow, modem: 1 },
    classify: classifySendError,
    clock: systemClock,
    logger,
    // Queued readings the router reads and the planner weighs per message. A part holds at most ~47
    // readings (a binary REPEAT reading can be 3 octets of 140), so 64 per allowed part never cuts a
    // message short. The planner sizes incrementally (~1 µs a candidate); the outbox read (~3.6 µs a
    // row, bench/RESULTS.md "planner") is what a larger lookahead would cost on every message.
    lookahead: Math.max(64, config.reports.maxParts * 64),
  });
}

/**
 * What the two durabilities default to. `batched` is the mode an owner picks to spare the card, so its
 * defaults do too: one commit every 5 minutes, and delivered reports deleted as they settle (bench
 * "sdcard", round 4: 0.9 KB a reading at one a second, against 2.0 KB with 60 s and the week kept).
 */
export const storeDefaults = {
  full: { groupCommitS: 10, keepDeliveredHours: 168 },
  batched: { groupCommitS: 300, keepDeliveredHours: 0 },
} as const;

/** The agent's store: its file, kinds, caps and the inbox's keep times and caps from the config, with the agent's listeners. */
export function storeOptions(config: AgentConfig, logger: Logger, listeners: Pick<OutboxOptions, 'onDrop' | 'onNotice'>, onInbox?: InboxListener): StoreOptions {
  const s = config.store;
  return {
    path: config.store.path,
    recoverSending: true,
    durability: config.store.durability,
    batchMs: config.store.batchMs,
    intakeJournal: config.store.intakeJournal,
    groupMs: (s.groupCommitS ?? storeDefaults[s.durability].groupCommitS) * 1000,
    outbox: { kinds: kindPolicies(config), caps: { maxQueuedRows: config.store.maxQueuedRows, maxQueuedBytes: config.store.maxQueuedBytes },
      keepDeliveredMs: (s.keepDeliveredHours ?? storeDefaults[s.durability].keepDeliveredHours) * 3_600_000, logger, ...listeners },
    inbox: {
      keepMs: s.inboxKeepDays * 86_400_000,
      receiptKeepMs: s.inboxReceiptKeepHours * 3_600_000,
      caps: { maxRows: s.inboxMaxRows, maxBytes: s.inboxMaxBytes },
      partialCaps: { maxMessages: s.inboxPartialMaxMessages, maxBytes: s.inboxPartialMaxBytes, maxPerSender: s.inboxPartialMaxPerSender,
        maxBytesPerSender: s.inboxPartialMaxBytesPerSender, timeoutMs: s.inboxPartialTimeoutS * 1000 },
      ...(onInbox === undefined ? {} : { onNotice: onInbox }),
    },
  };
}

/** The store's per-kind policy from the config's report kinds (plain SMS may always use the modem). */
export function kindPolicies(config: AgentConfig): Record<string, Partial<KindPolicy>> {
  const policies: Record<string, Partial<KindPolicy>> = { [plainSmsKind]: { ttlMs: 86_400_000, maxAttempts: 20, modemFallback: true } };
  for (const [kind, policy] of Object.entries(config.reports.kinds)) {
    policies[kind] = { ttlMs: policy.ttlS * 1000, maxAttempts: policy.maxAttempts, receiptRequired: policy.receipts, modemFallback: policy.modemFallback, coalesceKeepNewest: policy.coalesce };
  }
  return policies;
}

/** What the outbox's helpers share: one database, its prepared row helpers, policy and clock. */
import type Database from 'better-sqlite3';
import type { Logger } from '../logger.js';
import type { MessageRows } from './messageRows.js';
import type { NoticeBoard } from './notices.js';
import type { PolicyBook } from './policy.js';
import type { RowTransitions } from './reportRows.js';
import type { TimeSource } from '../clock.js';

export interface OutboxContext {
  readonly db: Database.Database;
  readonly rows: RowTransitions;
  readonly messages: MessageRows;
  readonly policies: PolicyBook;
  readonly clock: TimeSource;
  readonly logger: Logger;
  /** Outcome notices for the agent's events, announced after commit. */
  readonly notices: NoticeBoard;
}

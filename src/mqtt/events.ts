/**
 * Events the mirror publishes, not retained, on `<prefix>/<deviceId>/events/<type>`.
 * The `type` is the last topic level; the rest of the object is the JSON payload.
 */
import type { ReportPriority } from './state.js';

export type LinkName = 'smpp' | 'modem' | 'mqtt';

export type MirrorEvent =
  | { readonly type: 'report-submitted'; readonly id: string; readonly link: 'smpp' | 'modem'; readonly priority: ReportPriority; readonly messageId?: string }
  | { readonly type: 'report-delivered'; readonly id: string; readonly link: 'smpp' | 'modem'; readonly messageId?: string }
  | { readonly type: 'report-failed'; readonly id: string; readonly reason: string; readonly final: boolean }
  | { readonly type: 'report-expired'; readonly id: string; readonly ageSeconds: number }
  | { readonly type: 'report-dropped'; readonly id: string; readonly reason: string }
  | { readonly type: 'sms-received'; readonly from: string; readonly text: string; readonly via: 'smpp' | 'modem' }
  | { readonly type: 'link-up'; readonly link: LinkName }
  | { readonly type: 'link-down'; readonly link: LinkName; readonly reason: string }
  | { readonly type: 'outage-began'; readonly link: LinkName }
  | { readonly type: 'outage-ended'; readonly link: LinkName; readonly durationSeconds: number };

export type MirrorEventType = MirrorEvent['type'];

export const mirrorEventTypes: readonly MirrorEventType[] = [
  'report-submitted',
  'report-delivered',
  'report-failed',
  'report-expired',
  'report-dropped',
  'sms-received',
  'link-up',
  'link-down',
  'outage-began',
  'outage-ended',
];

import { z } from 'zod';
import { CONTROL_CHARS } from './identifiers';
import { STOCK_EVENT_TYPES } from './stock-event';

export const MIN_WEBHOOK_SECRET_LENGTH = 16;
const MAX_WEBHOOK_SECRET_LENGTH = 256;
const MAX_WEBHOOK_URL_LENGTH = 2048;

/**
 * `POST /admin/webhooks` body (apps/README.md#events-and-webhooks). The URL must be http(s) here; whether its host is a
 * public address is checked by the webhooks lib, at registration and again at each delivery.
 */
export const webhookRegistrationSchema = z.object(
  {
    url: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
      .max(MAX_WEBHOOK_URL_LENGTH, `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`)
      .pipe(z.url({ protocol: /^https?$/, error: 'must be an http or https URL' })),
    events: z
      .array(z.enum(STOCK_EVENT_TYPES, { error: `must be one of ${STOCK_EVENT_TYPES.join(', ')}` }), {
        error: (issue) => (issue.input === undefined ? 'is required' : 'must be an array of event types'),
      })
      .min(1, 'must name at least one event type')
      .refine((events) => new Set(events).size === events.length, 'must not name an event type twice'),
    secret: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
      .min(MIN_WEBHOOK_SECRET_LENGTH, `must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`)
      .max(MAX_WEBHOOK_SECRET_LENGTH, `must be at most ${MAX_WEBHOOK_SECRET_LENGTH} characters`)
      .refine((value) => !CONTROL_CHARS.test(value), 'must not contain control characters'),
  },
  { error: 'request body must be a JSON object' },
);

export type WebhookRegistration = z.infer<typeof webhookRegistrationSchema>;

/** A registered webhook as the API shows it: never its secret. */
export interface WebhookView {
  webhook_id: string;
  url: string;
  events: Array<(typeof STOCK_EVENT_TYPES)[number]>;
  created_at: string;
}

import { z } from 'zod';
import { ALL_STORES, ROLES } from './access';
import { CONTROL_CHARS, storeIdSchema } from './identifiers';

const MAX_KEY_STORES = 1_000;

/** `POST /admin/api-keys` body (apps/README.md#access-control): a name, a role and the stores (or "*"). */
export const apiKeyRequestSchema = z.object(
  {
    name: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
      .trim()
      .min(1, 'must not be empty')
      .max(128, 'must be at most 128 characters')
      .refine((value) => !CONTROL_CHARS.test(value), 'must not contain control characters'),
    role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }),
    stores: z.union([z.literal(ALL_STORES), z.array(storeIdSchema).min(1, 'must name at least one store').max(MAX_KEY_STORES)], {
      error: `must be "*" (every store) or an array of 1 to ${MAX_KEY_STORES} store ids`,
    }),
  },
  { error: 'request body must be a JSON object' },
);

export type ApiKeyCommand = z.infer<typeof apiKeyRequestSchema>;

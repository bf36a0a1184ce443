import { z } from 'zod';

export const MAX_ID_LENGTH = 128;

// Ids become DynamoDB keys, Redis hash tags (`{store}`) and BullMQ job ids, so they are limited to
// a charset that is safe in all three: no braces, colons, spaces or control characters.
const ID_CHARSET = /^[A-Za-z0-9._-]+$/;
/** C0 and C1 control characters: never part of an id, a reference or a header value we store. */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

export function identifierSchema() {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .min(1, 'must not be empty')
    .max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`)
    .refine((value) => !CONTROL_CHARS.test(value), 'must not contain control characters')
    .refine((value) => ID_CHARSET.test(value), 'may contain only letters, digits, ".", "_" and "-"');
}

export const storeIdSchema = identifierSchema();
export const skuSchema = identifierSchema();

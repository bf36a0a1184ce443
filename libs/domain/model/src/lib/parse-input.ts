import type { z } from 'zod';
import { type FieldProblem, ValidationError } from './app-error';

/**
 * Parses caller input with a schema, or throws a ValidationError whose message names each bad
 * field and its problem (one problem per field: the first one found).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, subject = 'request body'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;

  const problems = new Map<string, string>();
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.');
    if (!problems.has(field)) problems.set(field, issue.message);
  }
  const details: FieldProblem[] = [...problems].map(([field, problem]) => ({ field: field || subject, problem }));
  const message = details.map(({ field, problem }) => (problem.startsWith(field) ? problem : `${field} ${problem}`)).join('; ');
  throw new ValidationError(message, details);
}

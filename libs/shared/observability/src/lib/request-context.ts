import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request a piece of work runs for, carried across awaits and callbacks, so a failure that
 * escapes every handler (an unhandled rejection, an uncaught exception) can still name it.
 */
const requestContext = new AsyncLocalStorage<string>();

export function runInRequest<T>(requestId: string, work: () => T): T {
  return requestContext.run(requestId, work);
}

/** The id of the request the current code runs for; undefined outside any request. */
export function currentRequestId(): string | undefined {
  return requestContext.getStore();
}

import type { IncomingMessage, ServerResponse } from 'node:http';

/** Connect-style middleware on plain node requests: runs under Express and on direct routes alike. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

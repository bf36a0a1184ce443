// Baseline for the read benchmark: plain node:http answering every request with the same bytes
// and headers query-api sends, read once from the files named in argv. Prints its port.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [identityFile, gzipFile, etag] = process.argv.slice(2);
const identity = readFileSync(identityFile);
const gzip = readFileSync(gzipFile);

const server = createServer((req, res) => {
  const wantsGzip = (req.headers['accept-encoding'] ?? '').includes('gzip');
  const body = wantsGzip ? gzip : identity;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('ETag', etag);
  if (wantsGzip) res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Length', body.length);
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));

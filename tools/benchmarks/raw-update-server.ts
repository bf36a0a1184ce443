/**
 * Reference for the update benchmark: plain node:http making exactly the calls write-api makes for
 * an update (raw-stock-writes.ts), with no framework, validation or logging. Shows what an HTTP hop
 * itself costs here, apart from what our stack adds. Prints its port.
 */
import { createServer } from 'node:http';
import { loadConfig } from '@inventory/shared/config';
import { createInventoryBackends } from '@inventory/service/bootstrap';
import { RawStockWrites } from './raw-stock-writes';

const config = loadConfig();
const backends = createInventoryBackends(config, 'raw-update');
const writes = new RawStockWrites(backends, config.DYNAMODB_TABLE);

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', async () => {
    const { store_id, sku, quantity } = JSON.parse(Buffer.concat(chunks).toString());
    const version = await writes.write(store_id, sku, { quantity });
    const body = JSON.stringify({ store_id, sku, quantity, version });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as { port: number }).port}\n`));
process.on('SIGTERM', () => server.close(() => void backends.close().then(() => process.exit(0))));

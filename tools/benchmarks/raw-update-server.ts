/**
 * Reference for the update benchmark: plain node:http doing exactly the calls write-api makes
 * (raw SDK UpdateItem, then the counters script), with no framework, validation or logging.
 * Shows what an HTTP hop itself costs here, apart from what our stack adds. Prints its port.
 */
import { createServer } from 'node:http';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { loadConfig } from '@inventory/shared/config';
import { createInventoryBackends } from '@inventory/service/bootstrap';

const config = loadConfig();
const backends = createInventoryBackends(config, 'raw-update');

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', async () => {
    const { store_id, sku, quantity } = JSON.parse(Buffer.concat(chunks).toString());
    const result = await backends.dynamodb.send(
      new UpdateItemCommand({
        TableName: config.DYNAMODB_TABLE,
        Key: { store_id: { S: store_id }, sku: { S: sku } },
        UpdateExpression: 'SET #q = :q, #u = :u ADD #v :one',
        ExpressionAttributeNames: { '#q': 'quantity', '#u': 'updated_at', '#v': 'version' },
        ExpressionAttributeValues: { ':q': { N: String(quantity) }, ':u': { S: new Date().toISOString() }, ':one': { N: '1' } },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const version = Number(result.Attributes?.['version']?.N);
    await backends.counters.apply(store_id, [{ sku, version, quantity }]);
    const body = JSON.stringify({ store_id, sku, quantity, version });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as { port: number }).port}\n`));
process.on('SIGTERM', () => server.close(() => void backends.close().then(() => process.exit(0))));

import { execFileSync } from 'node:child_process';
import { startDynamoDbFaultProxy } from './dynamodb-fault-proxy';
import { startLocalDynamoDb } from './local-dynamodb';
import { isListening, startLocalRedis } from './local-redis';

const LIST_TABLES = {
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-target': 'DynamoDB_20120810.ListTables',
  authorization: 'AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x',
  'x-amz-date': '20240101T000000Z',
};

describe('local services', () => {
  it('when a local DynamoDB starts on port 0, then it answers the DynamoDB protocol and stops', async () => {
    const dynamo = await startLocalDynamoDb(0, '127.0.0.1', { ownProcess: true });
    const response = await fetch(dynamo.url, { method: 'POST', headers: LIST_TABLES, body: '{}' });
    expect(await response.json()).toEqual({ TableNames: [] });
    await dynamo.stop();
    expect(await isListening('127.0.0.1', dynamo.port)).toBe(false);
  });

  it('when the fault proxy is given a latency, then every call it forwards waits at least that long, and answers as before', async () => {
    const dynamo = await startLocalDynamoDb(0, '127.0.0.1', { ownProcess: true });
    const proxy = await startDynamoDbFaultProxy(dynamo.url);
    const listTables = async () => {
      const started = performance.now();
      const response = await fetch(proxy.url, { method: 'POST', headers: LIST_TABLES, body: '{}' });
      return { answer: await response.json(), ms: performance.now() - started };
    };
    proxy.latency(150);
    const slow = await listTables();
    expect(slow.answer).toEqual({ TableNames: [] });
    expect(slow.ms).toBeGreaterThanOrEqual(150);
    proxy.latency(0);
    expect((await listTables()).answer).toEqual({ TableNames: [] });
    expect(proxy.calls('ListTables')).toBe(2);
    await proxy.stop();
    await dynamo.stop();
  });

  it('when a private Redis starts, then it answers PING and is gone after stop', async () => {
    const redis = await startLocalRedis();
    expect(
      execFileSync('redis-cli', ['-p', String(redis.port), 'ping'])
        .toString()
        .trim(),
    ).toBe('PONG');
    await redis.stop();
    expect(await isListening('127.0.0.1', redis.port)).toBe(false);
  });
});

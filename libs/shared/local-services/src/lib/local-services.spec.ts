import { execFileSync } from 'node:child_process';
import { startLocalDynamoDb } from './local-dynamodb';
import { isListening, startLocalRedis } from './local-redis';

describe('local services', () => {
  it('when a local DynamoDB starts on port 0, then it answers the DynamoDB protocol and stops', async () => {
    const dynamo = await startLocalDynamoDb(0, '127.0.0.1', { ownProcess: true });
    const response = await fetch(dynamo.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x',
        'x-amz-date': '20240101T000000Z',
      },
      body: '{}',
    });
    expect(await response.json()).toEqual({ TableNames: [] });
    await dynamo.stop();
    expect(await isListening('127.0.0.1', dynamo.port)).toBe(false);
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

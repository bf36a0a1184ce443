// The local DynamoDB-compatible server in its own process, so it does not share the benchmark's core.
import dynalite from 'dynalite';

const server = dynalite({ createTableMs: 0 });
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));

import { runCli } from './run-cli.js';
import { reexecForServe } from './server-heap.js';

const args = process.argv.slice(2);
reexecForServe(args);
process.exitCode = await runCli(args);

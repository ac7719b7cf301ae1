import { runReal } from './test/support/topology.ts';
import { readFileSync } from 'node:fs';
const t0 = Date.now();
runReal({ name: 'x', script: readFileSync(process.argv[2], 'utf8') });
console.log(Date.now() - t0, 'ms');

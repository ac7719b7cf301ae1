import { compareTopology, describe } from './test/support/topology.ts';
import { readFileSync } from 'node:fs';
const script = readFileSync(process.argv[2], 'utf8');
const t = { name: 'x', script, rawMacs: process.argv.includes('--raw') };
const t0 = Date.now();
const { differences, real } = await compareTopology(t);
console.log(describe(differences) || 'SAME');
if (process.argv.includes('--show')) for (const s of real.steps) console.log(`$ ${s.command}\n${s.result.stdout}${s.result.stderr}[${s.result.status}]`);
console.log(`${Date.now() - t0} ms`);

import { SimHost } from './src/host/sim/host.ts';
import { runShell } from './src/userland/shell/index.ts';
import { allCommands } from './src/userland/registry.ts';
import { readFileSync } from 'node:fs';

const host = new SimHost({ seed: 1, clock: Date.UTC(2024, 0, 1) });
const lines = readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.trim());
const env: Record<string, string> = {};
for (const raw of lines) {
  const line = raw.replaceAll('{A}', 'A').replaceAll('{B}', 'B').replaceAll('{C}', 'C');
  let out = '';
  const status = await runShell(line, { commands: allCommands(), fs: host.fs, cwd: '/', env, sys: host.sys, stdout: (t) => (out += t), stderr: (t) => (out += t) });
  process.stdout.write(`$ ${raw}\n${out}${status ? `[rc=${status}]\n` : ''}`);
}

// conntrack's command line against the real conntrack 1.4.7: every line of testdata/args.txt
// (bad options, option/command combinations, help, listings of an empty table) must print the
// same stdout and stderr and exit with the same status. Runs in a throw-away namespace.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { realUnavailable, withNetns } from '../../../test/support/real.ts';
import { testTable } from '../../kernel/conntrack/testing.ts';
import { runConntrack, splitWords } from './testing.ts';

const lines = readFileSync(new URL('./testdata/args.txt', import.meta.url), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));

const skip = realUnavailable() ?? (spawnSync('conntrack', ['-V']).status !== 0 ? 'the real conntrack is not installed (apt-get install conntrack)' : undefined);

test(`${lines.length} conntrack command lines print and exit as conntrack 1.4.7 does`, { skip }, async () => {
  const real = withNetns((ns) => {
    // conntrack hooks register once a rule needs them; an empty table either way.
    ns.run('iptables -A INPUT -m conntrack --ctstate INVALID');
    return ns.runMany(lines);
  });
  const mismatches: string[] = [];
  for (const [k, line] of lines.entries()) {
    const sim = await runConntrack(testTable().ct, splitWords(line));
    const r = real[k];
    if (sim.stdout !== r.stdout || sim.stderr !== r.stderr || sim.status !== r.status) {
      mismatches.push(`${line}\n  real [${r.status}] ${JSON.stringify(r.stdout.slice(0, 300))} ${JSON.stringify(r.stderr)}\n  sim  [${sim.status}] ${JSON.stringify(sim.stdout.slice(0, 300))} ${JSON.stringify(sim.stderr)}`);
    }
  }
  assert.equal(mismatches.length, 0, `${mismatches.length} of ${lines.length} differ:\n${mismatches.join('\n')}`);
});

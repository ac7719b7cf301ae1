// Bad command lines fail in podlab with the real iptables' message and exit status, and change
// nothing: each line runs against the kube-proxy base ruleset (corpus 001) on both sides.
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { realUnavailable, withNetns } from '../support/real.ts';
import { SimHost, simRun, words } from '../support/sim.ts';
import { CORPUS_DIR, describe, normalise, readCorpus, type Mismatch } from './differential.ts';

const skip = realUnavailable();
const lines = readFileSync(`${CORPUS_DIR}/bad-commands.txt`, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
const base = readCorpus('001-kube-small-base.rules');

test(`${lines.length} bad iptables command lines fail exactly as the real iptables does, changing nothing`, { skip }, () => {
  const mismatches: Mismatch[] = [];
  withNetns((ns) => {
    assert.equal(ns.run('iptables-restore --counters', base).status, 0);
    const before = normalise(ns.run('iptables-save -c').stdout);
    const real = ns.runMany(lines);
    assert.equal(normalise(ns.run('iptables-save -c').stdout), before, 'the real iptables changed state on a failing command');
    lines.forEach((line, k) => {
      const host = new SimHost();
      simRun(host, ['iptables-restore', '--counters'], base);
      const hostBefore = normalise(simRun(host, ['iptables-save', '-c']).stdout);
      const sim = simRun(host, words(line));
      if (sim.stdout !== real[k].stdout || sim.stderr !== real[k].stderr || sim.status !== real[k].status) {
        mismatches.push({ command: line, real: real[k], sim });
      } else if (normalise(simRun(host, ['iptables-save', '-c']).stdout) !== hostBefore) {
        mismatches.push({ command: `${line}  (podlab changed state)`, real: real[k], sim });
      }
    });
  });
  assert.equal(mismatches.length, 0, `${mismatches.length} of ${lines.length} differ:\n` + mismatches.map(describe).join('\n'));
});

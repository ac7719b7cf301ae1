// Every corpus ruleset prints the same in podlab as in the real iptables (nf_tables), in every
// listing form and table; bad command lines fail with the same message and status.
import { describe as suite, test } from 'node:test';
import assert from 'node:assert/strict';
import { realUnavailable } from '../support/real.ts';
import { compareRuleset, corpusFiles, describe, listingCommands, readCorpus } from './differential.ts';

const skip = realUnavailable();

suite('iptables listings match the real iptables', { skip }, () => {
  for (const file of corpusFiles()) {
    test(`${file}: save, -L, -nvL --line-numbers, -S in every table are identical`, () => {
      const mismatches = compareRuleset(readCorpus(file), listingCommands());
      assert.equal(mismatches.length, 0, mismatches.map(describe).join('\n'));
    });
  }
});

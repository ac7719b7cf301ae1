// Developer aid: runs the iptables differential corpus and prints a summary of mismatches.
// Usage: node --import tsx scripts/difftest.ts [substring-of-file ...]
import { compareRuleset, corpusFiles, describe, listingCommands, readCorpus } from '../test/iptables/differential.ts';

const filter = process.argv.slice(2);
let bad = 0;
for (const f of corpusFiles().filter((x) => !filter.length || filter.some((s) => x.includes(s)))) {
  const m = compareRuleset(readCorpus(f), listingCommands());
  if (m.length) {
    bad++;
    console.log(`== ${f}: ${m.length} mismatching commands`);
    console.log(m.slice(0, 3).map(describe).join('\n'));
  }
}
console.log(`${bad} files with mismatches`);

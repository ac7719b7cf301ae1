/** Registers the text tools under the names a shell looks up (`textCommands()`). */
import type { Command } from '../command.ts';
import { cat } from './cat.ts';
import { column } from './column.ts';
import { cut } from './cut.ts';
import { diff } from './diff.ts';
import { egrep, fgrep, grep } from './grep.ts';
import { head, tail } from './headtail.ts';
import { printf } from './printf.ts';
import { sed } from './sed.ts';
import { seq } from './seq.ts';
import { sort } from './sort.ts';
import { tee } from './tee.ts';
import { tr } from './tr.ts';
import { uniq } from './uniq.ts';
import { wc } from './wc.ts';

/** Every text tool by command name; merge into the host's CommandTable. */
export function textCommands(): Map<string, Command> {
  return new Map<string, Command>([
    ['cat', cat],
    ['column', column],
    ['cut', cut],
    ['diff', diff],
    ['grep', grep],
    ['egrep', egrep],
    ['fgrep', fgrep],
    ['head', head],
    ['tail', tail],
    ['printf', printf],
    ['sed', sed],
    ['seq', seq],
    ['sort', sort],
    ['tee', tee],
    ['tr', tr],
    ['uniq', uniq],
    ['wc', wc],
  ]);
}

export { cat, column, cut, diff, egrep, fgrep, grep, head, printf, sed, seq, sort, tail, tee, tr, uniq, wc };

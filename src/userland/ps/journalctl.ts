/**
 * `journalctl` (systemd 252) for the one source the model's journal has, the kernel: `-k` lists
 * its messages in the short format (`Jan 01 00:00:00 HOST kernel: text`, no header line since
 * systemd 250), with `-n`, `-r`, `-p`, `-g` and the short-precise, short-iso and cat outputs;
 * `-- No entries --` when there is nothing to show.
 */
import type { Command, CommandContext } from '../command.ts';
import { LEVELS } from './dmesg.ts';
import { syslogTime } from './procinfo.ts';

class Fail extends Error {}

const OUTPUTS = ['short', 'short-precise', 'short-iso', 'short-monotonic', 'cat'] as const;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, '+0000');
}

export const journalctl: Command = (ctx: CommandContext) => {
  const machine = ctx.sys.machine();
  const kernel = machine.kernel;
  let lines: number | undefined;
  let reverse = false;
  let output: (typeof OUTPUTS)[number] = 'short';
  let maxLevel = 7;
  let grep: RegExp | undefined;
  try {
    const argv = ctx.argv.slice(1);
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      const value = (): string => argv[++i] ?? (() => {
        throw new Fail(`journalctl: option requires an argument -- '${a.replace(/^-+/, '')}'`);
      })();
      const setOutput = (v: string): void => {
        if (!(OUTPUTS as readonly string[]).includes(v)) throw new Fail(`Unknown output format '${v}'.`);
        output = v as (typeof OUTPUTS)[number];
      };
      const setPriority = (v: string): void => {
        const k = /^\d$/.test(v) ? Number(v) : (LEVELS as readonly string[]).indexOf(v === 'warning' ? 'warn' : v === 'error' ? 'err' : v);
        if (k < 0 || k > 7) throw new Fail(`Failed to parse log level '${v}': Invalid argument`);
        maxLevel = k;
      };
      if (a.startsWith('--')) {
        const [name, val] = a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), undefined];
        if (name === 'lines') lines = Number(val ?? 10);
        else if (name === 'reverse') reverse = true;
        else if (name === 'output') setOutput(val ?? value());
        else if (name === 'priority') setPriority(val ?? value());
        else if (name === 'grep') grep = new RegExp(val ?? value());
        else if (!['dmesg', 'no-pager', 'quiet', 'boot', 'follow', 'no-hostname', 'utc', 'full', 'all'].includes(name)) {
          throw new Fail(`journalctl: unrecognized option '${a}'`);
        }
        continue;
      }
      if (!a.startsWith('-')) continue;
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const rest = a.slice(j + 1);
        if (c === 'n') {
          // -n takes an optional count, attached or as the next word when it is a number.
          if (rest) lines = Number(rest);
          else if (/^\d+$/.test(argv[i + 1] ?? '')) lines = Number(argv[++i]);
          else lines = 10;
          break;
        }
        if (c === 'o') {
          setOutput(rest || value());
          break;
        }
        if (c === 'p') {
          setPriority(rest || value());
          break;
        }
        if (c === 'g') {
          grep = new RegExp(rest || value());
          break;
        }
        if (c === 'r') reverse = true;
        else if (c === 'b') break;
        else if (!'kqfaxle'.includes(c)) throw new Fail(`journalctl: invalid option -- '${c}'`);
      }
    }
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    ctx.stderr(`${e.message}\n`);
    return 1;
  }
  let entries = kernel.log.filter((l) => l.level <= maxLevel && (!grep || grep.test(l.text)));
  if (lines !== undefined) entries = lines > 0 ? entries.slice(-lines) : [];
  if (reverse) entries = [...entries].reverse();
  if (!entries.length) {
    ctx.stdout('-- No entries --\n');
    return 0;
  }
  const host = machine.hostname;
  ctx.stdout(
    entries
      .map((l) => {
        const at = kernel.bootTime + l.t;
        switch (output) {
          case 'cat':
            return `${l.text}\n`;
          case 'short-precise':
            return `${syslogTime(at)}.${String(Math.round((at % 1000) * 1000)).padStart(6, '0')} ${host} kernel: ${l.text}\n`;
          case 'short-iso':
            return `${iso(at)} ${host} kernel: ${l.text}\n`;
          case 'short-monotonic':
            return `[${(l.t / 1000).toFixed(6).padStart(12)}] ${host} kernel: ${l.text}\n`;
          default:
            return `${syslogTime(at)} ${host} kernel: ${l.text}\n`;
        }
      })
      .join(''),
  );
  return 0;
};

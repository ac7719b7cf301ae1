/**
 * util-linux's `dmesg` (2.38) over the simulated kernel's ring buffer: `[ 3601.123456] text`
 * lines, `-T` wall-clock times, `-t` none, `-x` facility and level, `-r` raw records, `-l`
 * level filter, `-c`/`-C` clearing. Clearing affects what dmesg reads later, as the kernel's
 * SYSLOG_ACTION_CLEAR does; the journal keeps every line.
 */
import type { Command, CommandContext } from '../command.ts';
import type { Kernel, LogLine } from '../../kernel/kernel.ts';
import { ctime } from './procinfo.ts';

export const LEVELS = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'] as const;

/** How many lines of each kernel's buffer dmesg -C / -c has cleared. */
const cleared = new WeakMap<Kernel, number>();

/** The ring buffer as dmesg sees it now. */
function buffer(kernel: Kernel): LogLine[] {
  return kernel.log.slice(cleared.get(kernel) ?? 0);
}

/** `[%5ld.%06ld]` from milliseconds since boot. */
export function monotonic(ms: number): string {
  const us = Math.round(ms * 1000);
  return `[${String(Math.floor(us / 1_000_000)).padStart(5)}.${String(us % 1_000_000).padStart(6, '0')}]`;
}

class Fail extends Error {}

export const dmesg: Command = (ctx: CommandContext) => {
  const kernel = ctx.sys.machine().kernel;
  let time: 'mono' | 'ctime' | 'none' = 'mono';
  let decode = false;
  let raw = false;
  let clear: 'no' | 'after' | 'only' = 'no';
  let levels: Set<number> | undefined;
  const setLevels = (v: string): void => {
    levels = new Set();
    for (const name of v.split(',')) {
      const k = (LEVELS as readonly string[]).indexOf(name);
      if (k < 0) throw new Fail(`dmesg: unknown level '${name}'`);
      levels.add(k);
    }
  };
  try {
    const argv = ctx.argv.slice(1);
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      if (a.startsWith('--')) {
        const [name, val] = a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), undefined];
        if (name === 'ctime') time = 'ctime';
        else if (name === 'notime') time = 'none';
        else if (name === 'decode') decode = true;
        else if (name === 'raw') raw = true;
        else if (name === 'read-clear') clear = 'after';
        else if (name === 'clear') clear = 'only';
        else if (name === 'level') setLevels(val ?? argv[++i] ?? '');
        else if (name === 'version') {
          ctx.stdout('dmesg from util-linux 2.38.1\n');
          return 0;
        } else if (!['kernel', 'color', 'nopager', 'userspace', 'human'].includes(name)) {
          throw new Fail(`dmesg: unrecognized option '${a}'\nTry 'dmesg --help' for more information.`);
        }
        continue;
      }
      if (!a.startsWith('-') || a === '-') throw new Fail(`dmesg: bad usage\nTry 'dmesg --help' for more information.`);
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const rest = a.slice(j + 1);
        if (c === 'T') time = 'ctime';
        else if (c === 't') time = 'none';
        else if (c === 'x') decode = true;
        else if (c === 'r') raw = true;
        else if (c === 'c') clear = 'after';
        else if (c === 'C') clear = 'only';
        else if (c === 'l') {
          setLevels(rest || argv[++i] || '');
          break;
        } else if (c === 'L') break;
        else if (c === 'V') {
          ctx.stdout('dmesg from util-linux 2.38.1\n');
          return 0;
        } else if (!'kHPuw'.includes(c)) throw new Fail(`dmesg: invalid option -- '${c}'\nTry 'dmesg --help' for more information.`);
      }
    }
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    ctx.stderr(`${e.message}\n`);
    return 1;
  }
  if (clear !== 'only') {
    let out = '';
    for (const l of buffer(kernel)) {
      if (levels && !levels.has(l.level)) continue;
      if (raw) {
        out += `<${l.level}>${monotonic(l.t)} ${l.text}\n`;
        continue;
      }
      if (decode) out += `${'kern'.padEnd(6)}:${LEVELS[l.level].padEnd(6)}: `;
      if (time === 'mono') out += `${monotonic(l.t)} `;
      else if (time === 'ctime') out += `[${ctime(kernel.bootTime + l.t)}] `;
      out += `${l.text}\n`;
    }
    ctx.stdout(out);
  }
  if (clear !== 'no') cleared.set(kernel, kernel.log.length);
  return 0;
};

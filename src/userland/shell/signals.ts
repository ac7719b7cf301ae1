/** Linux signal numbers and names (for kill, trap and job status) and how bash describes a death by each. */

const NAMES = ['', 'HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE', 'ALRM', 'TERM', 'STKFLT', 'CHLD', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH', 'IO', 'PWR', 'SYS'];

const DESCRIPTIONS: Record<number, string> = {
  1: 'Hangup',
  2: 'Interrupt',
  3: 'Quit',
  4: 'Illegal instruction',
  5: 'Trace/breakpoint trap',
  6: 'Aborted',
  7: 'Bus error',
  8: 'Floating point exception',
  9: 'Killed',
  10: 'User defined signal 1',
  11: 'Segmentation fault',
  12: 'User defined signal 2',
  13: 'Broken pipe',
  14: 'Alarm clock',
  15: 'Terminated',
  16: 'Stack fault',
  24: 'CPU time limit exceeded',
  25: 'File size limit exceeded',
  26: 'Virtual timer expired',
  27: 'Profiling timer expired',
  29: 'I/O possible',
  30: 'Power failure',
  31: 'Bad system call',
};

/** Signals whose default action is to do nothing (or that only stop/continue): a job survives them. */
export const HARMLESS = new Set([17, 18, 19, 20, 21, 22, 23, 28]);

/** The name of signal `n` without `SIG` (`SIGRTMIN+3` style for real-time ones). */
export function signalName(n: number): string | undefined {
  if (n >= 1 && n <= 31) return NAMES[n];
  if (n === 34) return 'RTMIN';
  if (n === 64) return 'RTMAX';
  if (n > 34 && n < 50) return `RTMIN+${n - 34}`;
  if (n >= 50 && n < 64) return `RTMAX-${64 - n}`;
  return undefined;
}

/** A signal given by number or name (`9`, `KILL`, `SIGKILL`, `kill`); undefined if there is none. */
export function parseSignal(spec: string): number | undefined {
  if (/^[0-9]+$/.test(spec)) {
    const n = Number(spec);
    return n === 0 || signalName(n) ? n : undefined;
  }
  const name = spec.toUpperCase().replace(/^SIG/, '');
  for (let n = 1; n <= 64; n++) if (signalName(n) === name) return n;
  return undefined;
}

/** How `jobs` and bash's notices describe a job that died of signal `n`. */
export function describeSignal(n: number): string {
  return DESCRIPTIONS[n] ?? `Unknown signal ${n}`;
}

/** `kill -l` with no argument: every signal, five to a line, as bash prints them. */
export function signalTable(): string {
  const cells: string[] = [];
  for (let n = 1; n <= 64; n++) {
    const name = signalName(n);
    if (name) cells.push(`${String(n).padStart(2)}) SIG${name}`);
  }
  let out = '';
  for (let k = 0; k < cells.length; k += 5) out += cells.slice(k, k + 5).join('\t') + (k + 5 >= cells.length && cells.length % 5 ? '\t' : '') + '\n';
  return out;
}

/**
 * What procps and util-linux tools derive from a process: its user name, its command name and
 * command line, and the time formats they print (start time, elapsed time, CPU time).
 */
import type { FileSystem } from '../../host/sim/fs.ts';
import type { Process } from '../../kernel/machine.ts';

/** A user's name from /etc/passwd, as getpwuid finds it; root and nobody without one; else the number. */
export function userName(fs: FileSystem, uid: number): string {
  const passwd = fs.read('/etc/passwd');
  if (passwd) {
    for (const line of passwd.split('\n')) {
      const f = line.split(':');
      if (f.length >= 3 && Number(f[2]) === uid && f[2] !== '') return f[0];
    }
  }
  if (uid === 0) return 'root';
  if (uid === 65534) return 'nobody';
  return String(uid);
}

/** The command name the kernel keeps (comm): the program's base name, at most 15 characters. */
export function comm(p: Process): string {
  const a0 = p.argv[0] ?? '';
  return a0.slice(a0.lastIndexOf('/') + 1).slice(0, 15);
}

/** The command line with its arguments, as ps's args column and lsns's COMMAND show it. */
export function args(p: Process): string {
  return p.argv.length ? p.argv.join(' ') : `[${comm(p)}]`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const two = (n: number): string => String(n).padStart(2, '0');

/** The host's clock shows UTC. */
function parts(ms: number): { y: number; mo: number; d: number; h: number; mi: number; s: number; wd: number } {
  const t = new Date(ms);
  return { y: t.getUTCFullYear(), mo: t.getUTCMonth(), d: t.getUTCDate(), h: t.getUTCHours(), mi: t.getUTCMinutes(), s: t.getUTCSeconds(), wd: t.getUTCDay() };
}

/** ps's STIME/START: `HH:MM` within a day, `MmmDD` within a year, else the year. */
export function startShort(start: number, now: number): string {
  const t = parts(start);
  if (now - start < 86_400_000) return `${two(t.h)}:${two(t.mi)}`;
  if (now - start < 365 * 86_400_000) return `${MONTHS[t.mo]}${two(t.d)}`;
  return ` ${t.y}`;
}

/** ps's STARTED: `HH:MM:SS` within a day, `Mmm DD` within a year, else the year. */
export function startMedium(start: number, now: number): string {
  const t = parts(start);
  if (now - start < 86_400_000) return `${two(t.h)}:${two(t.mi)}:${two(t.s)}`;
  if (now - start < 365 * 86_400_000) return `${MONTHS[t.mo]} ${two(t.d)}`;
  return `${t.y}`;
}

/** ctime(3) without the newline: `Mon Jan  1 00:00:00 2024` (dmesg -T, ps lstart). */
export function ctime(ms: number): string {
  const t = parts(ms);
  return `${DAYS[t.wd]} ${MONTHS[t.mo]} ${String(t.d).padStart(2)} ${two(t.h)}:${two(t.mi)}:${two(t.s)} ${t.y}`;
}

/** The syslog short timestamp: `Jan 01 00:00:00` (journalctl). */
export function syslogTime(ms: number): string {
  const t = parts(ms);
  return `${MONTHS[t.mo]} ${two(t.d)} ${two(t.h)}:${two(t.mi)}:${two(t.s)}`;
}

/** ps's ELAPSED: `[[dd-]hh:]mm:ss`. */
export function elapsed(ms: number): string {
  let s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  s %= 86400;
  const h = Math.floor(s / 3600);
  s %= 3600;
  const m = Math.floor(s / 60);
  s %= 60;
  if (d) return `${d}-${two(h)}:${two(m)}:${two(s)}`;
  if (h) return `${two(h)}:${two(m)}:${two(s)}`;
  return `${two(m)}:${two(s)}`;
}

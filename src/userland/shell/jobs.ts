/**
 * Background jobs: a per-shell table of what `cmd &` started, with deterministic pids, job specs
 * (`%1`, `%+`, `%sleep`), kill (an AbortSignal the job's commands can watch) and the reaping bash
 * does after each foreground command.
 */
import type { System } from '../command.ts';
import { describeSignal } from './signals.ts';

export interface Job {
  id: number;
  pid: number;
  /** The command as bash prints it in `jobs` (without the trailing `&`). */
  text: string;
  /** The exit status once finished (128+n when killed by signal n). */
  status?: number;
  killedBy?: number;
  /** Settles with the status when the job finishes or is killed. */
  done: Promise<number>;
  kill(signal: number): void;
}

/** Pids come from one counter per session, shared by subshells, so every run numbers them alike. */
interface PidCounter {
  next: number;
}

export class JobTable {
  private table: Job[] = [];
  /** Statuses of finished background pids not yet waited for (bash's bgpids list). */
  private finished = new Map<number, number>();
  lastPid?: number;
  /** `$$`: the shell's own pid. */
  readonly shellPid: number;

  constructor(
    private readonly pids: PidCounter = { next: 1000 },
    shellPid?: number,
  ) {
    this.shellPid = shellPid ?? this.pids.next++;
  }

  /** The table a subshell starts with: the same jobs to show, the same pid counter and `$!`. */
  forSubshell(): JobTable {
    const t = new JobTable(this.pids, this.shellPid);
    t.table = [...this.table];
    t.lastPid = this.lastPid;
    return t;
  }

  /** Starts a job: `run` gets the signal that says it was killed and resolves with its status. */
  start(text: string, run: (signal: AbortSignal) => Promise<number>): Job {
    const controller = new AbortController();
    const pid = this.pids.next++;
    const id = this.table.length ? Math.max(...this.table.map((j) => j.id)) + 1 : 1;
    let settle!: (status: number) => void;
    const job: Job = {
      id,
      pid,
      text,
      done: new Promise<number>((resolve) => (settle = resolve)),
      kill: (signal) => {
        if (job.status !== undefined) return;
        job.killedBy = signal;
        // The reason is the signal number, so a command can report how it died.
        controller.abort(signal);
        finish(128 + signal);
      },
    };
    const finish = (status: number) => {
      if (job.status !== undefined) return;
      job.status = status;
      this.finished.set(pid, status);
      settle(status);
    };
    this.table.push(job);
    this.lastPid = pid;
    run(controller.signal).then(finish, () => finish(1));
    return job;
  }

  /** Jobs in the table, oldest first. */
  list(): Job[] {
    return [...this.table];
  }

  /** `+` for the current job (the newest), `-` for the one before, else a space. */
  mark(job: Job): string {
    const k = this.table.indexOf(job);
    return k === this.table.length - 1 ? '+' : k === this.table.length - 2 ? '-' : ' ';
  }

  byPid(pid: number): Job | undefined {
    return this.table.find((j) => j.pid === pid);
  }

  /** The status of a background pid that finished and may have left the table; undefined if unknown. */
  finishedStatus(pid: number): number | undefined {
    return this.finished.get(pid);
  }

  /** Removes a job (once waited for, or disowned) and forgets its pid. */
  remove(job: Job): void {
    this.table = this.table.filter((j) => j !== job);
    this.finished.delete(job.pid);
  }

  /** Forgets a finished pid that `wait PID` has reported. */
  forget(pid: number): void {
    this.finished.delete(pid);
  }

  /** A job spec (`%1`, `%%`, `%+`, `%-`, `%name`, `%?text`); a message (bash's wording) if it names none. */
  find(spec: string): Job | string {
    const s = spec.slice(1);
    let found: Job[];
    if (s === '' || s === '%' || s === '+') found = this.table.slice(-1);
    else if (s === '-') found = this.table.length > 1 ? this.table.slice(-2, -1) : this.table.slice(-1);
    else if (/^[0-9]+$/.test(s)) found = this.table.filter((j) => j.id === Number(s));
    else if (s.startsWith('?')) found = this.table.filter((j) => j.text.includes(s.slice(1)));
    else found = this.table.filter((j) => j.text.startsWith(s));
    if (found.length > 1) return `${spec}: ambiguous job spec`;
    return found[0] ?? `${spec}: no such job`;
  }

  /**
   * What bash does after a foreground command: finished jobs leave the table silently, except that
   * a death by a signal other than INT, PIPE or TERM is reported through `notify`.
   */
  reap(notify: (line: string) => void): void {
    for (const job of this.table.filter((j) => j.status !== undefined)) {
      this.table = this.table.filter((j) => j !== job);
      if (job.killedBy !== undefined && ![2, 13, 15].includes(job.killedBy)) notify(`${String(job.pid).padStart(5)} ${describeStatus(job).padEnd(24)}${job.text}`);
    }
  }
}

/** `Running`, `Done`, `Exit 3`, `Terminated`, `Killed`... as `jobs` shows them. */
export function describeStatus(job: Job): string {
  if (job.status === undefined) return 'Running';
  if (job.killedBy !== undefined) return describeSignal(job.killedBy);
  return job.status === 0 ? 'Done' : `Exit ${job.status}`;
}

/**
 * The System a background job sees: the same host, except that `until` does not drive time (only
 * the foreground does; a job's waits resolve as the foreground's waiting moves the clock).
 */
export function backgroundSystem(sys: System): System {
  return new Proxy(sys, {
    get(target, key) {
      if (key === 'until') return <T>(p: Promise<T>) => p;
      // The same host seen from another namespace is still seen from the background.
      if (key === 'inNetns') return (ns: Parameters<System['inNetns']>[0]) => backgroundSystem(target.inNetns(ns));
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** A promise that settles with `p` or, if the signal fires first, with undefined. */
export function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
  if (!signal) return p;
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** The job-control builtins of a non-interactive bash: jobs, wait, kill, disown, and fg/bg (which refuse). */
import { describeStatus, type Job } from './jobs.ts';
import { HARMLESS, parseSignal, signalName, signalTable } from './signals.ts';
import { ExitSignal, shellError, type Builtin, type BuiltinContext, type ShellState } from './state.ts';

function jobLine(state: ShellState, job: Job, long: boolean): string {
  const status = describeStatus(job).padEnd(24);
  const amp = job.status === undefined ? ' &' : '';
  const head = `[${job.id}]${state.jobs.mark(job)}`;
  return long ? `${head} ${String(job.pid).padStart(5)} ${status}${job.text}${amp}\n` : `${head}  ${status}${job.text}${amp}\n`;
}

export const jobs: Builtin = (ctx, state) => {
  let long = false;
  let pidsOnly = false;
  let running = false;
  const specs: string[] = [];
  for (const a of ctx.argv.slice(1)) {
    if (/^-[lpnrs]+$/.test(a)) {
      long ||= a.includes('l');
      pidsOnly ||= a.includes('p');
      running ||= a.includes('r');
    } else if (a.startsWith('-') && a !== '-') {
      shellError(state, ctx.stderr, `jobs: ${a}: invalid option`);
      ctx.stderr('jobs: usage: jobs [-lnprs] [jobspec ...] or jobs -x command [args]\n');
      return 2;
    } else specs.push(a);
  }
  let selected: Job[] = state.jobs.list();
  let status = 0;
  if (specs.length) {
    selected = [];
    for (const s of specs) {
      const j = state.jobs.find(s.startsWith('%') ? s : `%${s}`);
      if (typeof j === 'string') {
        shellError(state, ctx.stderr, `jobs: ${j}`);
        status = 1;
      } else selected.push(j);
    }
  }
  if (running) selected = selected.filter((j) => j.status === undefined);
  for (const j of selected) ctx.stdout(pidsOnly ? `${j.pid}\n` : jobLine(state, j, long));
  // Finished jobs are reported once, then forgotten.
  for (const j of selected) if (j.status !== undefined) state.jobs.remove(j);
  return status;
};

/** Resolves `wait`/`kill` operands: a pid or a job spec. */
function target(state: ShellState, arg: string): { job?: Job; pid?: number; error?: string } {
  if (arg.startsWith('%')) {
    const j = state.jobs.find(arg);
    return typeof j === 'string' ? { error: j } : { job: j, pid: j.pid };
  }
  if (!/^-?[0-9]+$/.test(arg)) return { error: `${arg}: arguments must be process or job IDs` };
  const pid = Number(arg);
  return { job: state.jobs.byPid(pid), pid };
}

/** Waits in the foreground: time moves (in sim) until `p` settles; undefined if nothing ever can settle it. */
function drive<T>(ctx: BuiltinContext, p: Promise<T>): Promise<T | undefined> {
  return ctx.sys.until(p);
}

function stuck(state: ShellState, ctx: BuiltinContext, js: Job[]): number {
  // Nothing left in the simulation can end these jobs; a real bash would wait forever.
  for (const j of js) shellError(state, ctx.stderr, `wait: [${j.id}] ${j.text}: still running and nothing can end it (podlab: simulation has no pending events)`);
  return 127;
}

export const wait: Builtin = async (ctx, state) => {
  const args = ctx.argv.slice(1);
  let any = false;
  let pidVar: string | undefined;
  while (args.length && args[0].startsWith('-') && !/^-[0-9]/.test(args[0])) {
    const o = args.shift()!;
    if (o === '--') break;
    if (o === '-n') any = true;
    else if (o === '-f') continue;
    else if (o === '-p') pidVar = args.shift();
    else {
      shellError(state, ctx.stderr, `wait: ${o}: invalid option`);
      ctx.stderr('wait: usage: wait [-fn] [-p var] [id ...]\n');
      return 2;
    }
  }
  if (!args.length) {
    const running = state.jobs.list().filter((j) => j.status === undefined);
    if (any) {
      if (!running.length) return 127;
      const status = await drive(ctx, Promise.race(running.map((j) => j.done.then(() => j))));
      if (status === undefined) return stuck(state, ctx, running);
      if (pidVar) state.env[pidVar] = String(status.pid);
      state.jobs.remove(status);
      return status.status ?? 0;
    }
    const r = await drive(ctx, Promise.all(running.map((j) => j.done)));
    if (r === undefined) return stuck(state, ctx, running);
    for (const j of state.jobs.list()) if (j.status !== undefined) state.jobs.remove(j);
    return 0;
  }
  let status = 0;
  for (const a of args) {
    const t = target(state, a);
    if (t.error) {
      shellError(state, ctx.stderr, `wait: ${t.error}`);
      status = 127;
      continue;
    }
    if (!t.job) {
      const s = state.jobs.finishedStatus(t.pid!);
      if (s === undefined) {
        shellError(state, ctx.stderr, `wait: pid ${t.pid} is not a child of this shell`);
        status = 127;
      } else {
        state.jobs.forget(t.pid!);
        status = s;
      }
      continue;
    }
    const s = await drive(ctx, t.job.done);
    if (s === undefined) return stuck(state, ctx, [t.job]);
    if (t.job.killedBy !== undefined && ![2, 13, 15].includes(t.job.killedBy)) {
      shellError(state, ctx.stderr, `${String(t.job.pid).padStart(5)} ${describeStatus(t.job).padEnd(24)}${t.job.text}`);
    }
    state.jobs.remove(t.job);
    if (pidVar) state.env[pidVar] = String(t.job.pid);
    status = s;
  }
  return status;
};

const KILL_USAGE = 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n';

export const kill: Builtin = (ctx, state) => {
  const args = ctx.argv.slice(1);
  let sig = 15;
  if (!args.length) {
    ctx.stderr(KILL_USAGE);
    return 2;
  }
  const bad = (spec: string) => {
    shellError(state, ctx.stderr, `kill: ${spec}: invalid signal specification`);
    return 1;
  };
  const a0 = args[0];
  if (a0 === '-l' || a0 === '-L') {
    if (args.length === 1) {
      ctx.stdout(signalTable());
      return 0;
    }
    let status = 0;
    for (const s of args.slice(1)) {
      if (/^[0-9]+$/.test(s)) {
        const n = Number(s) > 128 ? Number(s) - 128 : Number(s);
        const name = signalName(n);
        if (name) ctx.stdout(name + '\n');
        else status = bad(s);
      } else {
        const n = parseSignal(s);
        if (n === undefined) status = bad(s);
        else ctx.stdout(`${n}\n`);
      }
    }
    return status;
  }
  if (a0 === '-s' || a0 === '-n') {
    if (args.length < 2) {
      ctx.stderr(KILL_USAGE);
      return 2;
    }
    const n = parseSignal(args[1]);
    if (n === undefined) return bad(args[1]);
    sig = n;
    args.splice(0, 2);
  } else if (a0.startsWith('-') && a0.length > 1 && a0 !== '--') {
    const n = parseSignal(a0.slice(1));
    if (n === undefined) return bad(a0.slice(1));
    sig = n;
    args.shift();
  }
  if (args[0] === '--') args.shift();
  if (!args.length) {
    ctx.stderr(KILL_USAGE);
    return 2;
  }
  let status = 0;
  for (const a of args) {
    const t = target(state, a);
    if (t.error) {
      shellError(state, ctx.stderr, `kill: ${t.error}`);
      status = 1;
      continue;
    }
    if (t.pid === state.jobs.shellPid && !t.job) {
      // The shell signalling itself: a fatal signal ends the script.
      if (sig !== 0 && !HARMLESS.has(sig)) throw new ExitSignal(128 + sig);
      continue;
    }
    if (!t.job || t.job.status !== undefined) {
      shellError(state, ctx.stderr, `kill: (${t.pid}) - No such process`);
      status = 1;
      continue;
    }
    if (sig !== 0 && !HARMLESS.has(sig)) t.job.kill(sig);
  }
  return status;
};

/** Without job control (a script), bash refuses fg and bg. */
export const fgbg: Builtin = (ctx, state) => {
  shellError(state, ctx.stderr, `${ctx.argv[0]}: no job control`);
  return 1;
};

export const disown: Builtin = (ctx, state) => {
  const args = ctx.argv.slice(1).filter((a) => a !== '-h' && a !== '-r');
  if (args.includes('-a')) {
    for (const j of state.jobs.list()) state.jobs.remove(j);
    return 0;
  }
  let status = 0;
  const specs = args.length ? args : ['%+'];
  for (const s of specs) {
    const t = target(state, s);
    if (t.error || !t.job) {
      if (!args.length) return 0;
      shellError(state, ctx.stderr, `disown: ${t.error ?? `${s}: no such job`}`);
      status = 1;
      continue;
    }
    state.jobs.remove(t.job);
  }
  return status;
};

// Background jobs, wait, kill, jobs and sleep: on podlab's virtual clock (time passes only while
// the foreground waits), and compared with real bash where timing makes the outcome certain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from '../command.ts';
import { runShell } from './index.ts';
import { parseInterval } from './sleep.ts';
import { assertLikeBash, noBash, sh } from './testing.ts';

const cases: [string, string][] = [
  ['wait for all', 'sleep 0.2 & echo started; wait; echo done'],
  ['wait for a pid', '(sleep 0.2; echo bg) & echo fg; wait $!; echo $?'],
  ['a job status through wait', 'false & wait $!; echo $?; (exit 3) & wait $!; echo $?'],
  ['kill %1 and its status', 'sleep 5 & jobs; kill %1; wait %1; echo $?'],
  ['kill -9 is reported', 'sleep 10 & kill -9 %1; wait %1; echo $?'],
  ['kill several jobs', 'sleep 3 & sleep 4 & jobs; kill %1 %2; wait; echo all'],
  ['kill a pid', 'sleep 0.3 & p=$!; sleep 0.1; kill $p; wait $p; echo $?'],
  ['output interleaves with the foreground', 'echo start; (sleep 0.2; echo late) & sleep 0.1; echo mid; wait; echo end'],
  ['jobs started on separate lines', 'sleep 0.1 &\nsleep 0.05\necho fg\nwait\necho done'],
  ['two groups in the background', '{ sleep 0.1; echo A; } & { sleep 0.2; echo B; } & wait; echo C'],
  ['a pipeline in the background', 'for i in 1 2; do echo $i; done | cat &\nwait'],
  ['jobs lists them as bash does', 'sleep 1 & sleep 2 > /dev/null & jobs'],
  ['jobs with a spec, -p', 'sleep 10& jobs %1; jobs %+; jobs -p | wc -l; jobs %2; echo $?'],
  ['a finished job leaves the table after a foreground command', 'false & sleep 0.1; jobs; wait $!; echo $?; kill %1; echo $?'],
  ['a killed job after a foreground command', 'sleep 5 & kill %1; sleep 0.1; echo x; jobs'],
  ['wait -n', 'sleep 0.2 & wait -n; echo $?; wait -n; echo $?'],
  ['no jobs, no $!', 'jobs; echo "[$!]"; wait; echo $?'],
  ['errors of kill and wait', 'kill %3; kill 99999; wait 99999; echo $?; wait %4; echo $?'],
  ['kill usage and signals', 'kill; echo $?; kill -9; echo $?; kill abc; echo $?; kill -s FOO 1; echo $?; kill -l 200; echo $?'],
  ['kill -l', 'kill -l; kill -l 15 TERM 9 SIGKILL 143'],
  ['kill -0 and a gone pid', 'sleep 10 & kill -s TERM %1; wait $!; echo $?; kill -0 $! 2>&1 | sed "s/[0-9][0-9]*/N/g"; echo $?'],
  ['disown', 'sleep 2 & disown; jobs; echo x'],
  ['fg without job control', 'fg; echo $?'],
  ['sleep', 'sleep 0.1; echo slept; sleep 0.05 0.05; echo $?'],
  ['sleep errors', 'sleep x; echo $?; sleep; echo $?; sleep 1x 2y; echo $?; sleep -1; echo $?'],
];

for (const [what, script] of cases) {
  test(`${what} (same as bash -c ${JSON.stringify(script)})`, { skip: noBash }, async () => {
    await assertLikeBash({ what, script, stderr: !/kill -9/.test(script) });
  });
}

test('a killed job is reported with its (deterministic) pid', async () => {
  const r = await sh('sleep 10 & kill -9 %1; wait %1; echo $?');
  assert.equal(r.stdout, '137\n');
  assert.equal(r.stderr, 'bash: line 1:  1001 Killed                  sleep 10\n');
});

test('pids come from a per-session counter: $$ first, then each job', async () => {
  const r = await sh('echo $$; sleep 1 & echo $!; sleep 1 & echo $!; jobs -l');
  assert.equal(r.stdout, '1000\n1001\n1002\n[1]-  1001 Running                 sleep 1 &\n[2]+  1002 Running                 sleep 1 &\n');
});

test('time is virtual: it passes only while the foreground waits', async () => {
  const r = await sh('sleep 5 & sleep 2; jobs; wait; echo done');
  assert.equal(r.stdout, '[1]+  Running                 sleep 5 &\ndone\n');
  assert.equal(r.sys.clock.now, 5000);
  const t = await sh('sleep 1m 30s; sleep 0.5');
  assert.equal(t.sys.clock.now, 90500);
});

test('sleep reads GNU intervals', () => {
  assert.equal(parseInterval('1'), 1);
  assert.equal(parseInterval('0.5'), 0.5);
  assert.equal(parseInterval('.5s'), 0.5);
  assert.equal(parseInterval('2m'), 120);
  assert.equal(parseInterval('1h'), 3600);
  assert.equal(parseInterval('1d'), 86400);
  assert.equal(parseInterval('1e2'), 100);
  assert.equal(parseInterval('inf'), Infinity);
  assert.equal(parseInterval('x'), undefined);
  assert.equal(parseInterval('1x'), undefined);
});

/** A server that answers nothing: it ticks every 100ms until its job is killed. */
const serve: Command = async (ctx) => {
  let ticks = 0;
  while (!ctx.signal?.aborted) {
    await ctx.sys.sleep(100);
    ctx.stdout(`tick ${++ticks}\n`);
  }
  return 0;
};

test('a killed job sees its signal abort and stops; what it prints afterwards is dropped', async () => {
  const r = await sh('nc -l 8080 & jobs; sleep 0.35; kill %1; wait %1; echo $?; sleep 1; echo end', { commands: { nc: serve } });
  assert.equal(r.stdout, '[1]+  Running                 nc -l 8080 &\ntick 1\ntick 2\ntick 3\n143\nend\n');
});

test('a background job reads nothing from the script\'s stdin', async () => {
  const r = await sh('cat & wait; cat', { stdin: 'input\n' });
  assert.equal(r.stdout, 'input\n');
});

test('jobs live on between the command lines of a session', async () => {
  let out = '';
  const opts = { ...(await sh('')).opts, commands: new Map([['nc', serve]]), stdout: (t: string) => (out += t) };
  assert.equal(await runShell('nc -l 80 &', opts), 0);
  await runShell('jobs; sleep 0.25; kill %1; wait %1; echo $?', opts);
  assert.equal(out, '[1]+  Running                 nc -l 80 &\ntick 1\ntick 2\n143\n');
});

test('a script ends without waiting for its jobs', async () => {
  const r = await sh('sleep 100 & echo $!');
  assert.equal(r.stdout, '1001\n');
  assert.equal(r.sys.clock.now, 0);
});

test('a busy loop in the background takes a millisecond a turn, and stops when killed', async () => {
  const r = await sh('while true; do echo x; done & sleep 0.005; kill %1; wait; sleep 1');
  // One turn at each of t=0..4ms; the foreground's 5ms timer was set first, so it fires first.
  assert.equal(r.stdout, 'x\n'.repeat(5));
});

test('a foreground loop polling for a job lets the job run', async () => {
  const r = await sh('(sleep 0.01; echo ready > /tmp/flag) & until [ -f /tmp/flag ]; do :; done; cat /tmp/flag');
  assert.equal(r.stdout, 'ready\n');
});

test('wait on a job nothing can end reports it instead of hanging', async () => {
  const stuck: Command = () => new Promise<number>(() => {});
  const r = await sh('stuck & wait; echo $?', { commands: { stuck } });
  assert.equal(r.stdout, '127\n');
  assert.match(r.stderr, /wait: \[1\] stuck: still running and nothing can end it/);
});

test('a job started with a redirection writes its file as it goes', async () => {
  const r = await sh('(echo a; sleep 1; echo b) > /tmp/log & sleep 0.5; cat /tmp/log; wait; cat /tmp/log');
  assert.equal(r.stdout, 'a\na\nb\n');
});

test('time reports the (virtual) time a pipeline took, $SECONDS counts it', async () => {
  const r = await sh('time sleep 61.5; time -p sleep 1 | cat; echo $SECONDS');
  assert.equal(r.stderr, '\nreal\t1m1.500s\nuser\t0m0.000s\nsys\t0m0.000s\nreal 1.00\nuser 0.00\nsys 0.00\n');
  assert.equal(r.stdout, '62\n');
});

test('$RANDOM repeats from one session to the next', async () => {
  const a = await sh('echo $RANDOM $RANDOM');
  const b = await sh('echo $RANDOM $RANDOM');
  assert.equal(a.stdout, b.stdout);
  assert.match(a.stdout, /^\d+ \d+\n$/);
});

test('the abort reason is the signal number', async () => {
  let reason: unknown;
  const hold: Command = async (ctx) => {
    await new Promise((resolve) => ctx.signal?.addEventListener('abort', resolve));
    reason = ctx.signal?.reason;
    return 0;
  };
  const r = await sh('hold & kill -9 %1; wait %1; echo $?', { commands: { hold } });
  assert.equal(r.stdout, '137\n');
  assert.equal(reason, 9);
});

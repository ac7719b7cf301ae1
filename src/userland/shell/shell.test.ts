// The shell: differential tests against `bash -c` with the real GNU tools (a fake iptables on
// PATH prints fixed listings), plus checks of parsing and error behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from '../command.ts';
import { MemFs } from '../../host/sim/fs.ts';
import { textCommands } from '../text/index.ts';
import { haveTool, IPTABLES_NAT_L, IPTABLES_NVL, testSystem, TRACE_LOG } from '../text/testing.ts';
import { runShell } from './index.ts';
import { parse } from './parser.ts';

/** The fake iptables both sides run: `-nvL` gives the filter listing, anything else the nat one. */
const fakeIptables: Command = (ctx) => {
  ctx.stdout(ctx.argv.includes('-nvL') ? IPTABLES_NVL : IPTABLES_NAT_L);
  return 0;
};
const fakeSave: Command = (ctx) => {
  ctx.stdout('*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j KUBE-SERVICES\nCOMMIT\n');
  return 0;
};
const fakeRestore: Command = (ctx) => (ctx.stdin.startsWith('*') ? 0 : 1);

const FAKE_BIN: Record<string, string> = {
  iptables: '#!/bin/sh\ncase " $* " in *" -nvL "*) cat "$FIX/filter.txt";; *) cat "$FIX/nat.txt";; esac\n',
  'iptables-save': "#!/bin/sh\nprintf '*nat\\n:PREROUTING ACCEPT [0:0]\\n-A PREROUTING -j KUBE-SERVICES\\nCOMMIT\\n'\n",
  'iptables-restore': '#!/bin/sh\nc=$(head -c1); [ "$c" = "*" ]\n',
};

interface ShellCase {
  what: string;
  line: string;
  files?: Record<string, string>;
  /** Files (relative) whose contents afterwards must agree too. */
  check?: string[];
  stdin?: string;
}

async function runBoth(c: ShellCase) {
  const dir = mkdtempSync(join(tmpdir(), 'podlab-sh-'));
  try {
    const fix = join(dir, '.fix');
    const bin = join(dir, '.bin');
    mkdirSync(fix);
    mkdirSync(bin);
    writeFileSync(join(fix, 'nat.txt'), IPTABLES_NAT_L);
    writeFileSync(join(fix, 'filter.txt'), IPTABLES_NVL);
    for (const [n, body] of Object.entries(FAKE_BIN)) writeFileSync(join(bin, n), body, { mode: 0o755 });
    const fs = new MemFs();
    fs.mkdirs(dir);
    for (const [n, d] of Object.entries(c.files ?? {})) {
      mkdirSync(join(dir, n, '..'), { recursive: true });
      writeFileSync(join(dir, n), d);
      fs.write(join(dir, n), d);
    }
    const env = { PATH: `${bin}:/usr/bin:/bin`, LC_ALL: 'C', TZ: 'UTC', FIX: fix, HOME: dir };
    const real = spawnSync('bash', ['-c', c.line], { cwd: dir, env, input: c.stdin ?? '', encoding: 'utf8' });
    const realFiles = (c.check ?? []).map((n) => (existsSync(join(dir, n)) ? readFileSync(join(dir, n), 'utf8') : undefined));

    const commands = new Map<string, Command>([...textCommands(), ['iptables', fakeIptables], ['iptables-save', fakeSave], ['iptables-restore', fakeRestore]]);
    let stdout = '';
    let stderr = '';
    const status = await runShell(c.line, {
      commands,
      fs,
      cwd: dir,
      env: { ...env },
      sys: testSystem,
      stdin: c.stdin ?? '',
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
    });
    const emuFiles = (c.check ?? []).map((n) => fs.read(join(dir, n)));
    return { real: { stdout: real.stdout, status: real.status, stderr: real.stderr, files: realFiles }, emu: { stdout, status, stderr, files: emuFiles } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const TRACE_FILES = { trace: TRACE_LOG };

const cases: ShellCase[] = [
  { what: 'redirect iptables output to a file and diff two snapshots', line: "iptables -t nat -L > before.txt; sed 's/10.102.117.8/10.102.117.9/' before.txt > after.txt; diff before.txt after.txt | grep '+'", check: ['before.txt', 'after.txt'] },
  { what: 'diff -u of snapshots piped to grep', line: "iptables -t nat -L > before.txt; sed '/MASQ/d' before.txt > after.txt; diff -u --label a --label b before.txt after.txt | grep '^[-+]'" },
  { what: 'egrep with double-quoted alternation', line: 'iptables -nvL | egrep "Chain|pkts|^$|1234"' },
  { what: 'grep for an IP in a listing', line: 'iptables -L -t nat | grep 10.102.117.8' },
  { what: "TRACE pipeline with $';' and sed -E", line: "grep TRACE trace | sed 's/IN=/\"; IN=/' | column -t -s $';' | sed -E 's/MAC=.{42}//' | cut -c -140", files: TRACE_FILES },
  { what: 'wc -l then restore from a file with &&', line: 'iptables-save > rules.txt; iptables-save | wc -l ; iptables-restore < rules.txt && echo ok', check: ['rules.txt'] },
  { what: 'failed restore skips && and runs ||', line: 'echo junk > bad.txt; iptables-restore < bad.txt && echo ok || echo failed; echo $?' },
  { what: 'append redirect', line: 'echo a > f; echo b >> f; cat f', check: ['f'] },
  { what: 'stderr to /dev/null', line: 'grep x nope 2>/dev/null; echo status=$?' },
  { what: 'stderr merged into a pipe with 2>&1', line: 'grep x nope 2>&1 | sed s/^/E:/' },
  { what: '&> sends both streams to a file', line: 'grep x nope &> out; cat out', check: ['out'] },
  { what: 'redirection order: 2>&1 >file keeps stderr on the terminal', line: '{ echo out; echo err >&2; } 2>&1 >f | sed s/^/P:/; cat f' },
  { what: 'single quotes keep everything literal', line: "echo 'a  $HOME \\n \"q\"'" },
  { what: 'double quotes expand variables and keep spaces', line: 'X="a  b"; echo "$X" $X "${X}c"' },
  { what: 'backslash escapes', line: 'echo a\\ b \\$HOME "\\$x \\" \\\\"' },
  { what: 'ANSI-C quoting', line: "printf '%s|' $'a\\tb' $'x\\ny' $'\\x41\\101'; echo" },
  { what: 'comments are ignored', line: 'echo a # echo b\necho c' },
  { what: 'pipeline status is the last command\'s', line: 'false | true; echo $?; true | false; echo $?' },
  { what: 'negated pipeline', line: '! grep -q zzz trace; echo $?', files: TRACE_FILES },
  { what: 'echo -n and -e', line: 'echo -n a; echo -e "b\\tc\\n"; echo -ne "d\\n"' },
  { what: 'unset variables expand to nothing and unquoted words split', line: 'V="1 2   3"; for_=x; printf "[%s]" $V $NOPE "$NOPE"; echo' },
  { what: 'command substitution', line: 'n=$(iptables -t nat -L | grep -c Chain); echo "chains: $n"' },
  { what: 'tee writes a copy', line: 'iptables -L -t nat | tee copy.txt | wc -l; wc -l < copy.txt', check: ['copy.txt'] },
  { what: 'here-string', line: 'grep -c b <<< "a b c"' },
  { what: 'cd and pwd', line: 'cd sub && pwd | sed "s|.*/||"', files: { 'sub/x': '' } },
  { what: 'sort | uniq -c | sort -rn over targets', line: "iptables -t nat -L | grep -v '^Chain\\|^target\\|^$' | cut -d' ' -f1 | sort | uniq -c | sort -rn" },
  { what: 'head and tail in a pipeline', line: 'iptables -nvL | head -n 5 | tail -n 2' },
  { what: 'subshell does not change the cwd', line: '(cd sub); pwd | sed "s|.*/||" | grep -c podlab', files: { 'sub/x': '' } },
  { what: 'exit stops the line with its status', line: 'echo a; exit 3; echo b' },
  { what: 'and-or chain', line: 'true && false || echo x && echo y' },
  { what: 'assignment prefix only for the command', line: 'A=1; A=2 true; echo $A' },
  { what: 'input redirection from a missing file fails the command', line: 'cat < nope; echo $?' },
  { what: 'tilde expands to HOME', line: 'echo ~ | grep -c /' },
  { what: 'empty quoted word is an argument', line: "printf '[%s]' '' \"\" a; echo" },
  { what: 'variable fallback', line: 'echo ${UNSET:-default} ${HOME:-no} | sed "s|/.*podlab[^ ]*|HOME|"' },
  { what: 'sed -n with quoted script containing ;', line: "iptables -t nat -L | sed -n '/^Chain KUBE-SEP/,/^$/{/DNAT/p}'" },
  { what: 'newline-separated commands', line: 'echo one\necho two' },
  { what: 'line continuation', line: 'echo a \\\nb' },
];

const skip = haveTool('bash') && haveTool('column') ? false : 'bash or column not installed; differential shell case skipped';
for (const c of cases) {
  test(`${c.what} (same as bash -c ${JSON.stringify(c.line)})`, { skip }, async () => {
    const { real, emu } = await runBoth(c);
    assert.equal(emu.stdout, real.stdout, `stdout (real stderr: ${real.stderr}; emulated stderr: ${emu.stderr})`);
    assert.equal(emu.status, real.status, 'exit status');
    assert.deepEqual(emu.files, real.files, 'files written');
  });
}

async function sh(line: string, setup: Record<string, string> = {}) {
  const fs = new MemFs(setup);
  fs.mkdirs('/root');
  let stdout = '';
  let stderr = '';
  const opts = { commands: new Map([...textCommands(), ['iptables', fakeIptables]]), fs, cwd: '/root', env: { HOME: '/root' } as Record<string, string>, sys: testSystem, stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t) };
  const status = await runShell(line, opts);
  return { status, stdout, stderr, fs, opts };
}

test('unknown command prints bash\'s message and exits 127', async () => {
  const r = await sh('foo --bar');
  assert.equal(r.status, 127);
  assert.equal(r.stderr, 'bash: line 1: foo: command not found\n');
});

test('commands are found by basename of a path', async () => {
  const r = await sh('/usr/sbin/iptables -t nat -L | grep -c Chain');
  assert.equal(r.stdout, '7\n');
});

test('syntax error reports the unexpected token with status 2', async () => {
  const r = await sh('echo a | | grep a');
  assert.equal(r.status, 2);
  assert.equal(r.stderr, "bash: syntax error near unexpected token `|'\n");
});

test('unterminated quote is a syntax error', async () => {
  const r = await sh("echo 'abc");
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unexpected EOF while looking for matching/);
});

test('cd and variables persist in the options between lines', async () => {
  const r = await sh('cd /tmp; X=5', { '/tmp/x': '' });
  assert.equal(r.opts.cwd, '/tmp');
  assert.equal(r.opts.env.X, '5');
  let out = '';
  await runShell('pwd; echo $X', { ...r.opts, stdout: (t) => (out += t) });
  assert.equal(out, '/tmp\n5\n');
});

test('> truncates the file before the command runs (sort f > f empties f)', async () => {
  const r = await sh('sort /root/f > /root/f', { '/root/f': 'b\na\n' });
  assert.equal(r.fs.read('/root/f'), '');
});

test('redirecting into a directory fails with status 1', async () => {
  const r = await sh('echo a > /root');
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'bash: line 1: /root: Is a directory\n');
});

test('parser builds pipelines, and-or lists and redirects', () => {
  const list = parse('a | b 2>&1 && c > f');
  assert.equal(list.length, 1);
  assert.equal(list[0].first.commands.length, 2);
  assert.equal(list[0].rest[0].op, '&&');
  const b = list[0].first.commands[1];
  assert.equal(b.type === 'simple' && b.redirects[0].op, '>&');
});

test('a command that throws fails with status 1 and a message', async () => {
  const fs = new MemFs();
  let err = '';
  const status = await runShell('boom', {
    commands: new Map<string, Command>([['boom', () => { throw new Error('kaput'); }]]),
    fs, cwd: '/', env: {}, sys: testSystem, stdout: () => {}, stderr: (t) => (err += t),
  });
  assert.equal(status, 1);
  assert.equal(err, 'boom: kaput\n');
});

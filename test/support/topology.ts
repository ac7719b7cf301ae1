/**
 * The topology harness: a small script of `ip` commands (later also iptables, sysctl, ping, nc
 * through `ip netns exec`) that only acts inside namespaces it creates, run for real as root with
 * bash and in podlab's sim through the podlab shell, then inspected namespace by namespace on
 * both sides; the transcripts are compared after a normaliser that maps what is random on a real
 * host (MACs and the link-local addresses made from them, namespace names, running timers)
 * consistently in first-seen order, so structure and every other byte still count.
 *
 * A script line names namespaces only through placeholders: `{A}`, `{node1}`. On the real side
 * they become `pl-t-<pid>-<n>-a`, in the sim `pl-a`. Lines that could touch the root namespace
 * (no `-n {X}`, not inside `ip netns exec {X}`, a pid, `-all`, a batch file, shell syntax) are
 * rejected before anything runs, and every namespace is deleted afterwards, also on failure.
 *
 * On the real side the harness also turns IPv6 DAD off in each namespace it sees created
 * (podlab models no DAD, so its link-local addresses are never `tentative`), and before each
 * line waits until the kernel's deferred link work has settled: every device's carrier
 * (LOWER_UP) agrees with its operational state and no address is tentative.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimHost } from '../../src/host/sim/host.ts';
import { runShell } from '../../src/userland/shell/index.ts';
import { allCommands } from '../../src/userland/registry.ts';
import { parseIPv6 } from '../../src/userland/ip/args.ts';
import { realUnavailable, type RunResult } from './real.ts';

export interface Topology {
  /** What the topology builds, for test names and failure messages. */
  name: string;
  /** One command per line; `#` comments and blank lines are skipped. */
  script: string;
  /** Commands run in every namespace after the script, instead of the standard inspections. */
  inspect?: string[];
  /** Compare MACs (and the link-local addresses made from them) as they are: every MAC is fixed by the script. */
  rawMacs?: boolean;
  /** Compare ifindexes through a first-seen mapping instead of as they are. */
  mapIfindex?: boolean;
  /**
   * What lines read on stdin (`ip -n {X} -batch -`): `ip` commands without global options, run
   * inside that namespace, each line checked like a script line.
   */
  stdin?: string;
}

/** What runs in each namespace after the script (`ip -n {X} ...`). */
export const STANDARD_INSPECTIONS = ['ip -d addr', 'ip -br link', 'ip route show table all', 'ip -d link', 'ip neigh', 'ip netns list'];

/** Programs a script may run inside a namespace with `ip netns exec {X} ...` (podlab-missing exists nowhere: for exec failures). */
export const EXEC_ALLOWED = new Set(['podlab-missing', 'ip', 'iptables', 'iptables-save', 'iptables-restore', 'iptables-nft', 'iptables-nft-save', 'iptables-nft-restore', 'sysctl', 'ping', 'nc', 'bridge', 'brctl', 'ethtool', 'conntrack', 'cat', 'echo', 'sleep', 'true', 'false', 'ss', 'arp', 'tcpdump']);

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_-]*)\}/g;

export class UnsafeLine extends Error {}

/** Splits a line into words (single and double quotes, no other shell syntax allowed). */
export function splitWords(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new UnsafeLine(`unterminated quote: ${line}`);
      const body = line.slice(i + 1, end);
      if (c === '"' && /[$`\\]/.test(body)) throw new UnsafeLine(`expansion in quotes: ${line}`);
      cur += body;
      inWord = true;
      i = end;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      if (/[;&|<>$`(){}\\*?[\]~!#]/.test(c)) throw new UnsafeLine(`shell syntax "${c}" in: ${line}`);
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

const isPlaceholderWord = (w: string): boolean => /^@NS:[A-Za-z][A-Za-z0-9_-]*@$/.test(w);

/**
 * Checks that an `ip` invocation acts only inside the topology's namespaces. `inside` is true
 * under `ip netns exec {X}` or `-n {X}`, where the object may be anything.
 */
function checkIp(args: string[], inside: boolean): void {
  let i = 0;
  let batch = false;
  for (; i < args.length && args[i].startsWith('-'); i++) {
    const o = args[i].replace(/^--/, '-');
    if ('-netns'.startsWith(o) && o.length >= 2) {
      const v = args[++i];
      if (!v || !isPlaceholderWord(v)) throw new UnsafeLine(`-n needs a placeholder namespace, not ${v}`);
      inside = true;
    } else if ('-all'.startsWith(o) && o.length >= 2) throw new UnsafeLine('ip -all acts on every namespace');
    else if ('-batch'.startsWith(o) && o.length >= 2) {
      // Only stdin, whose lines the harness checks (see Topology.stdin).
      if (args[++i] !== '-') throw new UnsafeLine('ip -batch reads only stdin (-) in a topology');
      batch = true;
    }
    else if ('-family'.startsWith(o) && o.length >= 2) i++;
    else if ('-loops'.startsWith(o) && o.length >= 2) i++;
    else if ('-rcvbuf'.startsWith(o) && o.length >= 3) i++;
  }
  const rest = args.slice(i);
  if (batch) {
    if (!inside) throw new UnsafeLine('ip -batch needs -n {X}');
    return;
  }
  // Any namespace named in the arguments must be one of ours; pids could be anyone's.
  for (let k = 0; k < rest.length; k++) {
    if ((rest[k] === 'netns' || rest[k] === 'link-netns') && k > 0 && rest[k + 1] !== undefined && !isPlaceholderWord(rest[k + 1]))
      throw new UnsafeLine(`${rest[k]} ${rest[k + 1]}: only placeholder namespaces`);
    if (rest[k] === 'link-netnsid') throw new UnsafeLine('link-netnsid refers to namespaces by number');
  }
  const obj = rest[0] ?? '';
  const isNetns = obj.length > 0 && 'netns'.startsWith(obj) && obj.length >= 3;
  if (!isNetns) {
    if (!inside) throw new UnsafeLine(`ip ${rest.join(' ')} would run in the root namespace: use -n {X}`);
    return;
  }
  const sub = rest[1] ?? 'list';
  const name = rest[2];
  const is = (full: string, min = 1): boolean => sub.length >= min && full.startsWith(sub);
  if (is('list') || is('show') || is('lst') || is('list-id', 6)) return;
  if ((is('identify') || is('help')) && rest.length === 2) return;
  if (is('pids') && name && isPlaceholderWord(name)) return;
  if (is('add') || is('delete')) {
    if (!name || !isPlaceholderWord(name)) throw new UnsafeLine(`ip netns ${sub} needs a placeholder namespace`);
    return;
  }
  if (is('exec')) {
    if (!name || !isPlaceholderWord(name)) throw new UnsafeLine('ip netns exec needs a placeholder namespace');
    // No command at all is ip's own error ("No command specified"), harmless.
    if (rest.length > 3) checkCommand(rest.slice(3), true);
    return;
  }
  if (is('set') && inside) {
    if (!name || !isPlaceholderWord(name)) throw new UnsafeLine('ip netns set needs a placeholder namespace');
    return;
  }
  throw new UnsafeLine(`ip netns ${sub} is not allowed in a topology`);
}

function checkCommand(words: string[], inside: boolean): void {
  if (!words.length) throw new UnsafeLine('empty command');
  const prog = words[0];
  if (prog === 'ip') return checkIp(words.slice(1), inside);
  if (!inside) throw new UnsafeLine(`${prog} would run in the root namespace: use ip netns exec {X} ${prog} ...`);
  if (!EXEC_ALLOWED.has(prog)) throw new UnsafeLine(`${prog} is not allowed in a topology`);
  if (prog === 'sysctl' && words.some((w) => /^(kernel|vm|fs|dev|user|abi|debug)\./.test(w.replace(/^-\w+$/, ''))))
    throw new UnsafeLine('only net.* sysctls are per namespace');
}

/** The lines of a batch on stdin, each an ip command run inside a namespace of the topology. */
function checkStdin(stdin: string): void {
  // ip's own line reader: `#` comments, `\` continuations, words split on blanks and quotes.
  for (const raw of stdin.replace(/\\\n/g, ' ').split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const words = line.replace(PLACEHOLDER, '@NS:$1@').match(/'[^']*'|"[^"]*"|\S+/g) ?? [];
    if (words.length) checkIp(words, true);
  }
}

/** The script's lines (comments and blanks dropped), each checked; placeholders in first-seen order. */
export function parseScript(script: string, stdin?: string): { lines: string[]; names: string[]; created: string[] } {
  if (stdin !== undefined) checkStdin(stdin);
  const lines: string[] = [];
  const names: string[] = [];
  const created: string[] = [];
  for (const raw of script.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    for (const m of line.matchAll(PLACEHOLDER)) if (!names.includes(m[1])) names.push(m[1]);
    checkCommand(splitWords(line.replace(PLACEHOLDER, '@NS:$1@')), false);
    const add = ADD_RE.exec(line);
    if (add && !created.includes(add[1])) created.push(add[1]);
    lines.push(line);
  }
  return { lines, names, created };
}

/** `ip netns add {X}` (with any global options before `netns`). */
const ADD_RE = /^ip\s+(?:-\S+\s+)*netns\s+add\s+\{([A-Za-z][A-Za-z0-9_-]*)\}\s*$/;

function substitute(line: string, nameOf: (p: string) => string): string {
  return line.replace(PLACEHOLDER, (_, p: string) => nameOf(p));
}

export interface Step {
  /** The script line or inspection, placeholders as written. */
  command: string;
  result: RunResult;
}

export interface Transcript {
  steps: Step[];
}

const simName = (p: string): string => `pl-${p.toLowerCase()}`;

let realCounter = 0;

/** The inspections for one namespace. */
function inspections(t: Topology, p: string): string[] {
  return (t.inspect ?? STANDARD_INSPECTIONS).map((c) => c.replace(/^ip /, `ip -n {${p}} `));
}

/** Runs the topology in a fresh SimHost through the podlab shell. */
export async function runSim(t: Topology, seed = 1): Promise<Transcript> {
  const { lines, created } = parseScript(t.script, t.stdin);
  const host = new SimHost({ seed, clock: Date.UTC(2024, 0, 1) });
  const commands = allCommands();
  const env: Record<string, string> = {};
  const run = async (line: string): Promise<RunResult> => {
    let stdout = '';
    let stderr = '';
    const status = await runShell(substitute(line, simName), {
      commands,
      fs: host.fs,
      cwd: '/',
      env,
      sys: host.sys,
      stdin: t.stdin !== undefined ? substitute(t.stdin, simName) : '',
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
    });
    return { stdout, stderr, status };
  };
  const steps: Step[] = [];
  for (const line of lines) steps.push({ command: line, result: await run(line) });
  for (const p of created) for (const c of inspections(t, p)) steps.push({ command: c, result: await run(c) });
  return { steps };
}

/** A bash function that waits (up to ~15 s: namespaces die in a shared workqueue) until the kernel's deferred link work has settled. */
const SETTLE = String.raw`
settle() {
  local i ns out
  for i in $(seq 1 1500); do
    out=""
    for ns in "$@"; do
      [ -e "/run/netns/$ns" ] || continue
      out="$out$(ip -n "$ns" -o link 2>/dev/null)
$(ip -n "$ns" -6 -o addr 2>/dev/null)
"
    done
    if ! printf '%s' "$out" | awk '
      /tentative/ { bad = 1 }
      # A deleted namespace goes away in a workqueue: the peers of its devices linger meanwhile,
      # shown by number (then as unknown) since its name is gone. Every live peer namespace of a
      # topology is named, so a peer by number means one still dying.
      /link-netnsid/ { bad = 1 }
      / mtu / {
        flags = $0; sub(/^[^<]*</, "", flags); sub(/>.*/, "", flags)
        state = $0; sub(/.* state /, "", state); sub(/ .*/, "", state)
        if (("," flags ",") ~ /,UP,/) {
          carrier = (("," flags ",") ~ /,LOWER_UP,/)
          oper = (state == "UP" || state == "UNKNOWN")
          if (carrier != oper) bad = 1
        }
      }
      END { exit bad ? 0 : 1 }'; then [ -n "$SETTLE_DEBUG" ] && echo "settle $i" >&2; return 0; fi
    sleep 0.01
  done
}
`;

/** An `ip` command that only prints (an object alone, or spelled-out show/list/get), safe to run twice. */
function readOnly(command: string): boolean {
  const w = splitWords(command.replace(PLACEHOLDER, 'x'));
  if (w[0] !== 'ip') return false;
  let i = 1;
  for (; i < w.length && w[i].startsWith('-'); i++) {
    if (/^-+b/.test(w[i])) return false;
    // Options with a value: -n/-netns, -f/-family, -l/-loops, -rc/-rcvbuf.
    if (/^-+(n|ne|net|netn|netns|f|fa|fam|fami|famil|family|l|lo|loo|loop|loops|rc|rcv|rcvb|rcvbu|rcvbuf)$/.test(w[i])) i++;
  }
  const sub = w[i + 1];
  return w[i] !== undefined && (sub === undefined || ['show', 'list', 'lst', 'get', 'list-id'].includes(sub));
}

/** Runs a bash script; resolves with its exit status and stderr. */
function bash(path: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });
}

/**
 * Runs the topology for real, in namespaces named after this process, and deletes them. Async,
 * so several topologies can run at once (their names never collide).
 */
export async function runReal(t: Topology): Promise<Transcript> {
  const { lines, names, created } = parseScript(t.script, t.stdin);
  const n = realCounter++;
  const realName = (p: string): string => `pl-t-${process.pid}-${n}-${p.toLowerCase()}`;
  const all = names.map(realName);
  const work = mkdtempSync(join(tmpdir(), 'podlab-topo-'));
  const commands = [...lines, ...created.flatMap((p) => inspections(t, p))];
  let script = `cd /\n${SETTLE}\ncleanup() { for ns in ${all.join(' ')}; do ip netns del "$ns" 2>/dev/null; done; }\ntrap cleanup EXIT\n`;
  commands.forEach((c, k) => {
    const real = substitute(c, realName);
    script += `settle ${all.join(' ')}\n`;
    const stdin = t.stdin !== undefined ? join(work, 'stdin') : '/dev/null';
    const once = `(${real}) <${stdin} >${join(work, `${k}.out`)} 2>${join(work, `${k}.err`)}; echo $? >${join(work, `${k}.rc`)}`;
    // ip resolves link-netns names by opening every /run/netns entry; one that another test is
    // deleting right then is a plain file for a moment ("Peer netns reference is invalid").
    // Commands that only print are simply asked again.
    script += readOnly(c)
      ? `for try in $(seq 1 50); do ${once}; grep -q 'Peer netns reference is invalid' ${join(work, `${k}.err`)} || break; sleep 0.02; done\n`
      : `${once}\n`;
    // DAD off where the script creates a namespace: podlab's link-local addresses are never tentative.
    const m = ADD_RE.exec(c);
    if (m) {
      const ns = realName(m[1]);
      script += `[ -e /run/netns/${ns} ] && ip netns exec ${ns} sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0\n`;
    }
  });
  writeFileSync(join(work, 'script.sh'), script);
  if (t.stdin !== undefined) writeFileSync(join(work, 'stdin'), substitute(t.stdin, realName));
  try {
    const r = await bash(join(work, 'script.sh'));
    if (process.env.SETTLE_DEBUG) process.stderr.write(r.stderr);
    if (r.status !== 0 && r.status !== null) throw new Error(`topology script failed: ${r.stderr}`);
    const steps = commands.map((command, k) => ({
      command,
      result: {
        stdout: readFileSync(join(work, `${k}.out`), 'utf8'),
        stderr: readFileSync(join(work, `${k}.err`), 'utf8'),
        status: Number(readFileSync(join(work, `${k}.rc`), 'utf8').trim()),
      },
    }));
    // Names the script used are ours; show them as placeholders again.
    const names2 = new Map(names.map((p) => [realName(p), p]));
    return { steps: steps.map((s) => ({ ...s, result: renameNs(s, names2) })) };
  } finally {
    for (const ns of all) spawnSync('ip', ['netns', 'del', ns]);
    rmSync(work, { recursive: true, force: true });
  }
}

function renameNs(s: Step, names: Map<string, string>): RunResult {
  const fix = (text: string): string => {
    let out = text;
    for (const [real, p] of names) out = out.replace(new RegExp(`(?<![\\w.-])${real.replace(/[.-]/g, '\\$&')}(?![\\w.-])`, 'g'), `{${p}}`);
    return out;
  };
  return { ...s.result, stdout: fix(s.result.stdout), stderr: fix(s.result.stderr) };
}

/** Sim namespace names back to placeholders. */
function renameSim(tr: Transcript, names: string[]): Transcript {
  const map = new Map(names.map((p) => [simName(p), p]));
  return { steps: tr.steps.map((s) => ({ ...s, result: renameNs(s, map) })) };
}

/**
 * The normaliser. Over one whole transcript, in order: MACs (also the unpadded form bridge ids
 * use, and inside fe80:: EUI-64 addresses) become `<mac1>`, `<mac2>`... (with rawMacs they stay); ifindexes (with
 * mapIfindex) `<if1>`...; gc_timer values `<t>`. `ip netns list` keeps only the topology's
 * namespaces (a real host has others) in sorted order (directory order depends on the host's
 * filesystem), `ip neigh` is sorted (the kernel's hash order is random per boot).
 */
export function normalise(tr: Transcript, t: Topology, names: string[]): Transcript {
  const macs = new Map<string, number>();
  const ifs = new Map<string, number>();
  const macToken = (text: string): string => {
    const bytes = text.split(':').map((b) => parseInt(b, 16));
    const padded = bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
    if (padded === '00:00:00:00:00:00' || padded === 'ff:ff:ff:ff:ff:ff' || padded === '01:80:c2:00:00:00') return text;
    if (t.rawMacs) return text;
    if (!macs.has(padded)) macs.set(padded, macs.size + 1);
    // Bridge ids print MACs unpadded (2:0:0:0:0:a): how a random MAC looks there is random too.
    return `<mac${macs.get(padded)}>`;
  };
  const fe80 = (addr: string): string => {
    const b = parseIPv6(addr);
    // An EUI-64 address: ff:fe in the middle of the interface id, the MAC around it.
    if (!b || b[11] !== 0xff || b[12] !== 0xfe || t.rawMacs) return addr;
    const mac = [b[8] ^ 2, b[9], b[10], b[13], b[14], b[15]].map((x) => x.toString(16).padStart(2, '0')).join(':');
    return `fe80::eui64(${macToken(mac)})`;
  };
  const ifToken = (n: string): string => {
    if (!t.mapIfindex) return n;
    if (!ifs.has(n)) ifs.set(n, ifs.size + 1);
    return `<if${ifs.get(n)}>`;
  };
  const ours = new Set(names.map((p) => `{${p}}`));
  const norm = (command: string, text: string): string => {
    let out = t.rawMacs ? text : sortByAddress(text);
    if (/\bip (-n \S+ )?(-\S+ )*neigh/.test(command)) {
      const ls = out.split('\n');
      const last = ls.pop();
      out = [...ls.sort(), last].join('\n');
    }
    out = out
      .replace(/\bfe80::[0-9a-f:]+(?=[/\s]|$)/g, (a) => fe80(a))
      .replace(/(?<![0-9a-f:])[0-9a-f]{1,2}(?::[0-9a-f]{1,2}){5}(?![0-9a-f:])/g, (m) => macToken(m))
      // Running timers count down in real time; the bridge's gc timer even reads 0.00 while its
      // work runs, so it is masked whatever it shows.
      .replace(/(\w+_timer) +(\d+\.\d\d)/g, (m, name: string, v: string) => (v === '0.00' && name !== 'gc_timer' ? m : `${name} <t>`));
    if (t.mapIfindex) out = out.replace(/^(\d+)(?=: )/gm, (m) => ifToken(m)).replace(/@if(\d+)/g, (_, n: string) => `@if${ifToken(n)}`);
    // /run/netns lists in directory order: newest first on tmpfs, by name hash on ext4. Keep
    // the topology's own namespaces, sorted.
    if (/\bnetns (list|show)\b/.test(command) || / netns$/.test(command)) {
      const ls = out.split('\n').filter((l) => ours.has(l.split(' ')[0]));
      out = ls.length ? `${ls.sort().join('\n')}\n` : '';
    }
    return out;
  };
  return { steps: tr.steps.map((s) => ({ ...s, result: { ...s.result, stdout: norm(s.command, s.result.stdout), stderr: norm(s.command, s.result.stderr) } })) };
}

/**
 * IPv6 local routes are dumped in address order, and link-local addresses come from random
 * MACs: unless MACs are fixed, order each run of them by device instead, on both sides alike.
 */
function sortByAddress(text: string): string {
  const lines = text.split('\n');
  const isLocal6 = (l: string): boolean => /^local fe80::\S+ dev /.test(l);
  const dev = (l: string): string => / dev (\S+)/.exec(l)![1];
  for (let i = 0; i < lines.length; ) {
    if (!isLocal6(lines[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j < lines.length && isLocal6(lines[j])) j++;
    const run = lines.slice(i, j).sort((a, b) => (dev(a) < dev(b) ? -1 : dev(a) > dev(b) ? 1 : 0));
    lines.splice(i, j - i, ...run);
    i = j;
  }
  return lines.join('\n');
}

export interface Difference {
  command: string;
  real: RunResult;
  sim: RunResult;
}

/** Runs both sides and returns the steps whose normalised output or status differ. */
export async function compareTopology(t: Topology): Promise<{ differences: Difference[]; real: Transcript; sim: Transcript }> {
  const { names } = parseScript(t.script, t.stdin);
  const [rawReal, rawSim] = await Promise.all([runReal(t), runSim(t)]);
  const real = normalise(rawReal, t, names);
  const sim = normalise(renameSim(rawSim, names), t, names);
  const differences: Difference[] = [];
  real.steps.forEach((r, k) => {
    const s = sim.steps[k];
    if (r.result.stdout !== s.result.stdout || r.result.stderr !== s.result.stderr || r.result.status !== s.result.status) differences.push({ command: r.command, real: r.result, sim: s.result });
  });
  return { differences, real, sim };
}

/** A readable account of differences: the first differing lines of each stream. */
export function explain(diffs: Difference[]): string {
  const out: string[] = [];
  for (const d of diffs) {
    out.push(`$ ${d.command}`);
    if (d.real.status !== d.sim.status) out.push(`  status: real ${d.real.status}, podlab ${d.sim.status}`);
    for (const stream of ['stdout', 'stderr'] as const) {
      const a = d.real[stream].split('\n');
      const b = d.sim[stream].split('\n');
      let shown = 0;
      for (let i = 0; i < Math.max(a.length, b.length) && shown < 6; i++) {
        if (a[i] !== b[i]) {
          out.push(`  ${stream} line ${i + 1}:\n    real:   ${JSON.stringify(a[i])}\n    podlab: ${JSON.stringify(b[i])}`);
          shown++;
        }
      }
    }
  }
  return out.join('\n');
}

/**
 * Registers one test per topology: the real and podlab transcripts must agree. Where the real
 * side cannot run (not root, no iproute2) the sim side still runs, then the test is skipped
 * with the reason. Topologies run a few at a time: their namespace names never collide.
 */
export function defineTopologies(suite: string, list: Topology[]): void {
  const unavailable = realUnavailable();
  describe(suite, { concurrency: 4 }, () => {
    for (const t of list) {
      it(t.name, async (ctx) => {
        if (unavailable) {
          await runSim(t);
          ctx.skip(unavailable);
          return;
        }
        const { differences } = await compareTopology(t);
        assert.equal(differences.length, 0, `${t.name}: podlab differs from the real ip\n${explain(differences)}`);
      });
    }
  });
}

/** Why the real side cannot run here (not root, no iproute2), or undefined. */
export function topologyUnavailable(): string | undefined {
  return realUnavailable();
}

/** The normalised sim transcript, as text, for topologies the host kernel cannot build. */
export async function simTranscript(t: Topology): Promise<string> {
  const { names } = parseScript(t.script, t.stdin);
  const tr = normalise(renameSim(await runSim(t), names), t, names);
  return tr.steps.map((s) => `$ ${s.command}\n${s.result.stdout}${s.result.stderr}${s.result.status ? `[${s.result.status}]\n` : ''}`).join('');
}

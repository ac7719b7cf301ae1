/**
 * The traffic harness: a scenario builds namespaces with setup lines (the topology harness's
 * checked syntax: `{X}` placeholders, `ip -n {X}`, `ip netns exec {X} iptables|sysctl ...`),
 * starts HTTP servers that answer with a text, and runs probes (ping, nc, curl, each inside a
 * namespace, optionally under a tcpdump capture in another one). It runs once for real, as root
 * in namespaces named `pl-t-<pid>-<n>-x` (servers are small Python programs, killed by PID; the
 * namespaces are deleted on exit, also on failure), and once in podlab (http-echo, the podlab
 * shell, virtual time). Outcomes are compared after normalising what is random on a real host.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimHost } from '../../src/host/sim/host.ts';
import { startHttpEcho } from '../../src/programs/http-echo.ts';
import type { CommandContext } from '../../src/userland/command.ts';
import { tcpdump } from '../../src/userland/net/tcpdump.ts';
import { allCommands } from '../../src/userland/registry.ts';
import { runShell } from '../../src/userland/shell/index.ts';
import { backgroundSystem } from '../../src/userland/shell/jobs.ts';
import { realUnavailable, type RunResult } from './real.ts';
import { parseScript, splitWords, UnsafeLine } from './topology.ts';

export interface Server {
  ns: string;
  port: number;
  /** What every response body says (plus a newline), as http-echo's -text. */
  text: string;
  /** Listen address (default all). */
  addr?: string;
}

export interface Capture {
  ns: string;
  /** tcpdump's arguments after `-n -l` (e.g. `-i eth0 -c 4 icmp`); must include -c. */
  args: string;
}

export interface Probe {
  /** Setup lines run just before this probe (a sysctl or rule changed between probes). */
  before?: string;
  ns: string;
  /** One command (ping, nc or curl) and its arguments; no shell syntax. */
  cmd: string;
  stdin?: string;
  capture?: Capture;
  /** Run this many times (statistic DNAT); the results are collected in order. */
  repeat?: number;
  /** Compare only which distinct lines came out (random choices make the order differ). */
  distinct?: boolean;
}

export interface Scenario {
  name: string;
  setup: string;
  servers?: Server[];
  probes: Probe[];
}

export interface Outcome {
  probe: string;
  result: RunResult;
  /** The capture's packet lines and its `N packets captured` line. */
  capture?: string;
}

const PROBE_PROGRAMS = new Set(['ping', 'nc', 'curl']);
const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_-]*)\}/g;

/** Checks a probe: one allowed program, arguments without shell syntax, placeholders only for namespaces. */
function checkProbe(p: Probe): void {
  if (p.before) parseScript(p.before);
  const words = splitWords(p.cmd.replace(PLACEHOLDER, 'x'));
  if (!PROBE_PROGRAMS.has(words[0])) throw new UnsafeLine(`probe program ${words[0]} is not allowed`);
  if (p.capture) {
    const cw = splitWords(p.capture.args);
    if (!cw.includes('-c')) throw new UnsafeLine('a capture needs -c so that it ends');
    if (cw.some((w) => w === '-w' || w === '-r' || w === '-z' || w === '-Z')) throw new UnsafeLine('tcpdump may not write files or run programs');
  }
}

/** A tiny HTTP/1.1 server for the real side: every request gets the text and a newline. */
const PY_SERVER = String.raw`
import http.server, sys
port, text, addr = int(sys.argv[1]), sys.argv[2], sys.argv[3]
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def do_GET(self):
        body = (text + '\n').encode()
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.send_header('Content-Type', 'text/plain; charset=utf-8')
        self.end_headers()
        self.wfile.write(body)
    do_HEAD = do_GET
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer((addr, port), H).serve_forever()
`;

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

let realCounter = 0;

/** Runs the scenario on the real kernel; needs root (see realUnavailable). */
export function runTrafficReal(sc: Scenario): Outcome[] {
  const { lines, names } = parseScript(sc.setup);
  sc.probes.forEach(checkProbe);
  const n = realCounter++;
  const real = (p: string): string => `pl-t-${process.pid}-${n}-${p.toLowerCase()}`;
  const sub = (s: string): string => s.replace(PLACEHOLDER, (_, p: string) => real(p));
  const all = names.map(real);
  const work = mkdtempSync(join(tmpdir(), 'podlab-traffic-'));
  writeFileSync(join(work, 'srv.py'), PY_SERVER);
  let sh = `cd /\nPIDS=""\ncleanup() { for p in $PIDS; do kill "$p" 2>/dev/null; done; for p in $PIDS; do wait "$p" 2>/dev/null; done; for ns in ${all.join(' ')}; do ip netns del "$ns" 2>/dev/null; done; }\ntrap cleanup EXIT\n`;
  for (const line of lines) {
    sh += `(${sub(line)}) </dev/null >/dev/null 2>>${join(work, 'setup.err')} || echo ${q(line)} >>${join(work, 'setup.failed')}\n`;
    // The model has no IPv6: keep the real namespaces quiet (no router solicitations, no MLD).
    const add = /^ip\s+netns\s+add\s+\{(\w+)\}$/.exec(line);
    if (add) sh += `ip netns exec ${real(add[1])} sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1\n`;
  }
  for (const s of sc.servers ?? []) {
    const ns = real(s.ns);
    sh += `ip netns exec ${ns} python3 ${join(work, 'srv.py')} ${s.port} ${q(s.text)} ${s.addr ?? '0.0.0.0'} >/dev/null 2>&1 &\nPIDS="$PIDS $!"\n`;
    sh += `for i in $(seq 1 100); do ip netns exec ${ns} ss -Hltn "sport = :${s.port}" | grep -q . && break; sleep 0.05; done\n`;
  }
  sc.probes.forEach((p, k) => {
    const f = (x: string): string => join(work, `${k}.${x}`);
    for (const line of p.before ? parseScript(p.before).lines : []) sh += `(${sub(line)}) </dev/null >/dev/null 2>>${join(work, 'setup.err')} || echo ${q(line)} >>${join(work, 'setup.failed')}\n`;
    if (p.stdin !== undefined) writeFileSync(f('in'), p.stdin);
    if (p.capture) {
      sh += `ip netns exec ${real(p.capture.ns)} timeout 5 tcpdump -n -l ${sub(p.capture.args)} >${f('cap')} 2>${f('caperr')} &\nCP=$!\n`;
      sh += `for i in $(seq 1 100); do grep -q 'listening on' ${f('caperr')} && break; sleep 0.02; done\n`;
    }
    const times = p.repeat ?? 1;
    sh += `: >${f('out')}; : >${f('err')}; : >${f('rc')}\n`;
    sh += `for r in $(seq 1 ${times}); do ip netns exec ${real(p.ns)} ${sub(p.cmd)} <${p.stdin !== undefined ? f('in') : '/dev/null'} >>${f('out')} 2>>${f('err')}; echo $? >>${f('rc')}; done\n`;
    if (p.capture) sh += `wait $CP\n`;
  });
  writeFileSync(join(work, 'run.sh'), sh);
  try {
    const r = spawnSync('bash', [join(work, 'run.sh')], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`traffic script failed (${r.status}): ${r.stderr}`);
    let failed = '';
    try {
      failed = readFileSync(join(work, 'setup.failed'), 'utf8');
    } catch {
      // Every setup line worked.
    }
    if (failed) throw new Error(`setup lines failed for real:\n${failed}${readFileSync(join(work, 'setup.err'), 'utf8')}`);
    return sc.probes.map((p, k) => {
      const f = (x: string): string => readFileSync(join(work, `${k}.${x}`), 'utf8');
      const rcs = f('rc').trim().split('\n');
      return {
        probe: p.cmd,
        result: { stdout: f('out'), stderr: f('err'), status: Number(rcs[rcs.length - 1]) },
        capture: p.capture ? captureText(f('cap'), f('caperr')) : undefined,
      };
    });
  } finally {
    for (const ns of all) spawnSync('ip', ['netns', 'del', ns]);
    rmSync(work, { recursive: true, force: true });
  }
}

/** The packet lines and the count line of a capture. */
function captureText(out: string, err: string): string {
  const lines = out.split('\n').filter((l) => l !== '');
  const count = /^\d+ packets? captured$/m.exec(err)?.[0] ?? '(no summary)';
  return [...lines, count].join('\n');
}

/** Runs the scenario in a fresh simulated host through the podlab shell. */
export async function runTrafficSim(sc: Scenario, seed = 1): Promise<Outcome[]> {
  const { lines } = parseScript(sc.setup);
  sc.probes.forEach(checkProbe);
  const host = new SimHost({ seed, clock: Date.UTC(2024, 0, 1) });
  const commands = allCommands();
  const simName = (p: string): string => `pl-${p.toLowerCase()}`;
  const sub = (s: string): string => s.replace(PLACEHOLDER, (_, p: string) => simName(p));
  const run = async (line: string, stdin?: string): Promise<RunResult> => {
    let stdout = '';
    let stderr = '';
    const status = await runShell(line, { commands, fs: host.fs, cwd: '/', env: {}, sys: host.sys, stdin, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    return { stdout, stderr, status };
  };
  for (const line of lines) {
    const r = await run(sub(line));
    if (r.status !== 0) throw new Error(`setup line failed in podlab: ${line}\n${r.stderr}`);
  }
  const nsOf = (p: string) => {
    const ns = host.machine.mounts.get(simName(p));
    if (!ns) throw new Error(`no namespace {${p}}`);
    return ns;
  };
  const servers = (sc.servers ?? []).map((s) => startHttpEcho(nsOf(s.ns), [`-listen=${s.addr ?? ''}:${s.port}`, `-text=${s.text}`]));
  const outcomes: Outcome[] = [];
  try {
    for (const p of sc.probes) {
      for (const line of p.before ? parseScript(p.before).lines : []) {
        const r = await run(sub(line));
        if (r.status !== 0) throw new Error(`setup line failed in podlab: ${line}\n${r.stderr}`);
      }
      let cap: { done: Promise<number>; abort: AbortController; out: string; err: string } | undefined;
      if (p.capture) {
        const abort = new AbortController();
        const c = { abort, out: '', err: '', done: Promise.resolve(0) };
        const ctx: CommandContext = {
          argv: ['tcpdump', '-n', '-l', ...splitWords(sub(p.capture.args))],
          stdin: '',
          stdout: (t) => (c.out += t),
          stderr: (t) => (c.err += t),
          fs: host.fs,
          cwd: '/',
          env: {},
          sys: backgroundSystem(host.sys.inNetns(nsOf(p.capture.ns))),
          signal: abort.signal,
        };
        c.done = Promise.resolve(tcpdump(ctx));
        cap = c;
      }
      const result: RunResult = { stdout: '', stderr: '', status: 0 };
      for (let r = 0; r < (p.repeat ?? 1); r++) {
        const one = await run(`ip netns exec ${simName(p.ns)} ${sub(p.cmd)}`, p.stdin);
        result.stdout += one.stdout;
        result.stderr += one.stderr;
        result.status = one.status;
      }
      let capture: string | undefined;
      if (cap) {
        // Like `timeout 5` on the real side: a capture that does not reach its count is stopped.
        const c = cap;
        const ended = await host.kernel.clock.until(Promise.race([c.done, host.kernel.clock.sleep(5000).then(() => undefined)]));
        if (ended === undefined) {
          c.abort.abort();
          await c.done;
        }
        capture = captureText(c.out, c.err);
      }
      outcomes.push({ probe: p.cmd, result, capture });
    }
  } finally {
    for (const s of servers) s.stop();
  }
  return outcomes;
}

/**
 * What differs between a real host and podlab by nature: times, ids, initial sequence numbers,
 * timestamps, windows (the host's buffer sizes), ephemeral ports, MACs, checksums a NIC would
 * fill in, and how many probes were in flight (`pipe`).
 */
export function normaliseTraffic(text: string): string {
  const macs = new Map<string, number>();
  return text
    .replace(/^\d\d:\d\d:\d\d\.\d{6} /gm, '')
    .replace(/time=\d+(\.\d+)? ms/g, 'time=<t> ms')
    .replace(/rtt min\/avg\/max\/mdev = [\d./]+ ms/g, 'rtt <rtt>')
    .replace(/, time \d+ms/g, ', time <T>ms')
    .replace(/(, )?pipe \d+/g, '')
    .replace(/after \d+ ms/g, 'after <n> ms')
    .replace(/after \d+ milliseconds/g, 'after <n> milliseconds')
    .replace(/\bid \d+/g, 'id <id>')
    .replace(/\b(seq|ack) (\d{5,})/g, '$1 <isn>')
    .replace(/TS val \d+ ecr \d+/g, 'TS val <ts> ecr <ts>')
    .replace(/\bwin \d+/g, 'win <w>')
    .replace(/wscale \d+/g, 'wscale <ws>')
    .replace(/cksum 0x[0-9a-f]+ \([^)]*\)/g, 'cksum <c>')
    .replace(/(\d+\.\d+\.\d+\.\d+)\.(3[2-9]\d{3}|[4-6]\d{4})\b/g, '$1.<eph>')
    .replace(/(Connection received on \S+) \d+/g, '$1 <port>')
    .replace(/protocol 1 port \d+ unreachable/g, 'protocol 1 port <cksum> unreachable')
    .replace(/\b[0-9a-f]{2}(?::[0-9a-f]{2}){5}\b/g, (m) => {
      if (m === 'ff:ff:ff:ff:ff:ff' || m === '00:00:00:00:00:00') return m;
      if (!macs.has(m)) macs.set(m, macs.size + 1);
      return `<mac${macs.get(m)}>`;
    });
}

export interface TrafficDiff {
  probe: string;
  what: string;
  real: string;
  sim: string;
}

/** Runs both sides and lists what differs after normalisation. */
export async function compareTraffic(sc: Scenario): Promise<{ diffs: TrafficDiff[]; real: Outcome[]; sim: Outcome[] }> {
  const real = runTrafficReal(sc);
  const sim = await runTrafficSim(sc);
  const diffs: TrafficDiff[] = [];
  const distinct = (t: string): string => [...new Set(t.split('\n').filter(Boolean))].sort().join('\n');
  real.forEach((r, k) => {
    const s = sim[k];
    const out = (t: string): string => (sc.probes[k].distinct ? distinct(t) : t);
    const pairs: [string, string, string][] = [
      ['stdout', out(r.result.stdout), out(s.result.stdout)],
      ['stderr', r.result.stderr, s.result.stderr],
      ['status', String(r.result.status), String(s.result.status)],
      ['capture', r.capture ?? '', s.capture ?? ''],
    ];
    for (const [what, a, b] of pairs) {
      if (normaliseTraffic(a) !== normaliseTraffic(b)) diffs.push({ probe: r.probe, what, real: normaliseTraffic(a), sim: normaliseTraffic(b) });
    }
  });
  return { diffs, real, sim };
}

export function describeTraffic(diffs: TrafficDiff[]): string {
  return diffs.map((d) => `$ ${d.probe} [${d.what}]\n--- real:\n${d.real}\n--- podlab:\n${d.sim}`).join('\n');
}

/** Why the real side cannot run here, or undefined. */
export function trafficUnavailable(): string | undefined {
  const why = realUnavailable();
  if (why) return why;
  for (const tool of ['ping', 'nc', 'curl', 'tcpdump', 'python3', 'ss', 'timeout']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  return undefined;
}

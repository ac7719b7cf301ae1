/**
 * Test support for the text tools and the shell: runs an emulated command over an in-memory
 * filesystem, runs the real GNU tool over the same files in a temp dir, and compares the two.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import assert from 'node:assert/strict';
import type { Command, System } from '../command.ts';
import { MemFs } from '../../host/sim/fs.ts';

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number;
}

/** A System for commands that only need the clock (text tools never touch netfilter). */
export const testSystem: System = {
  netfilter() {
    throw new Error('no netfilter in text-tool tests');
  },
  now: () => 0,
  conntrack() {
    throw new Error('no conntrack table in text-tool tests');
  },
  netns() {
    throw new Error('no network namespace in text-tool tests');
  },
  machine() {
    throw new Error('no machine in text-tool tests');
  },
  inNetns() {
    return testSystem;
  },
  sleep: () => Promise.resolve(),
  until: (p) => p,
};

/** The cwd the emulated commands see; operands are relative to it, as in the real run. */
export const EMU_CWD = '/home/user';

/** Runs an emulated command with `files` (relative names) placed in its cwd. */
export async function runEmu(cmd: Command, argv: string[], stdin = '', files: Record<string, string> = {}): Promise<RunResult & { fs: MemFs }> {
  const fs = new MemFs();
  fs.mkdirs(EMU_CWD);
  for (const [name, data] of Object.entries(files)) fs.write(`${EMU_CWD}/${name}`, data);
  let stdout = '';
  let stderr = '';
  const status = await cmd({
    argv,
    stdin,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    fs,
    cwd: EMU_CWD,
    env: { HOME: '/root', PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
    sys: testSystem,
  });
  return { stdout, stderr, status, fs };
}

/** Whether a real tool is on this machine (differential tests skip otherwise). */
export function haveTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
}

/** Runs the real tool (argv array, no shell) in a fresh temp dir holding `files`; removes it after. */
export function runReal(argv: string[], stdin = '', files: Record<string, string> = {}): RunResult {
  const dir = mkdtempSync(join(tmpdir(), 'podlab-text-'));
  try {
    for (const [name, data] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), data);
    }
    const r = spawnSync(argv[0], argv.slice(1), {
      cwd: dir,
      input: stdin,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC', COLUMNS: '80' },
    });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One differential case: the same argv, stdin and files through both; stdout and status must agree. */
export interface Case {
  argv: string[];
  stdin?: string;
  files?: Record<string, string>;
  /** Also compare stderr (only where our wording is meant to be GNU's, e.g. missing files). */
  stderr?: boolean;
}

export async function assertSameAsReal(cmd: Command, c: Case): Promise<void> {
  const real = runReal(c.argv, c.stdin, c.files);
  const emu = await runEmu(cmd, c.argv, c.stdin, c.files);
  const label = JSON.stringify(c.argv);
  assert.equal(emu.stdout, real.stdout, `stdout of ${label}`);
  assert.equal(emu.status, real.status, `exit status of ${label} (real stderr: ${real.stderr})`);
  if (c.stderr) assert.equal(emu.stderr, real.stderr, `stderr of ${label}`);
}

/** A realistic `iptables -L -t nat` listing (kube-proxy), used across the tests. */
export const IPTABLES_NAT_L = `Chain PREROUTING (policy ACCEPT)
target     prot opt source               destination         
KUBE-SERVICES  all  --  anywhere             anywhere             /* kubernetes service portals */
DOCKER     all  --  anywhere             anywhere             ADDRTYPE match dst-type LOCAL

Chain INPUT (policy ACCEPT)
target     prot opt source               destination         

Chain OUTPUT (policy ACCEPT)
target     prot opt source               destination         
KUBE-SERVICES  all  --  anywhere             anywhere             /* kubernetes service portals */
DOCKER     all  --  anywhere            !127.0.0.0/8          ADDRTYPE match dst-type LOCAL

Chain POSTROUTING (policy ACCEPT)
target     prot opt source               destination         
KUBE-POSTROUTING  all  --  anywhere             anywhere             /* kubernetes postrouting rules */
MASQUERADE  all  --  172.17.0.0/16        anywhere            

Chain KUBE-MARK-MASQ (12 references)
target     prot opt source               destination         
MARK       all  --  anywhere             anywhere             MARK or 0x4000

Chain KUBE-SEP-3DOVW5SLDDN4XWOY (1 references)
target     prot opt source               destination         
KUBE-MARK-MASQ  all  --  10.102.117.8         anywhere             /* default/web:http */
DNAT       tcp  --  anywhere             anywhere             /* default/web:http */ tcp to:10.102.117.8:1234

Chain KUBE-SERVICES (2 references)
target     prot opt source               destination         
KUBE-SVC-LOLE4ISW44XBNF3G  tcp  --  anywhere             10.96.0.10           /* kube-system/kube-dns:dns-tcp cluster IP */ tcp dpt:domain
KUBE-SVC-TCOU7JCQXEZGVUNU  udp  --  anywhere             10.96.0.10           /* kube-system/kube-dns:dns cluster IP */ udp dpt:domain
KUBE-SVC-WEB  tcp  --  anywhere             10.100.200.7         /* default/web:http cluster IP */ tcp dpt:http
KUBE-NODEPORTS  all  --  anywhere             anywhere             /* kubernetes service nodeports; NOTE: this must be the last rule in this chain */ ADDRTYPE match dst-type LOCAL
`;

/** A realistic `iptables -nvL` listing (filter table). */
export const IPTABLES_NVL = `Chain INPUT (policy ACCEPT 1290 packets, 216K bytes)
 pkts bytes target     prot opt in     out     source               destination         
 4521  612K KUBE-FIREWALL  all  --  *      *       0.0.0.0/0            0.0.0.0/0           
   12   720 ACCEPT     tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:1234
    0     0 DROP       tcp  --  eth0   *       10.0.0.0/8           0.0.0.0/0            tcp dpt:22

Chain FORWARD (policy DROP 0 packets, 0 bytes)
 pkts bytes target     prot opt in     out     source               destination         
  870 52200 KUBE-FORWARD  all  --  *      *       0.0.0.0/0            0.0.0.0/0            /* kubernetes forwarding rules */
    3   180 ACCEPT     all  --  docker0 !docker0  0.0.0.0/0            0.0.0.0/0           

Chain OUTPUT (policy ACCEPT 998 packets, 80123 bytes)
 pkts bytes target     prot opt in     out     source               destination         
 4402  598K KUBE-FIREWALL  all  --  *      *       0.0.0.0/0            0.0.0.0/0           

Chain KUBE-FIREWALL (2 references)
 pkts bytes target     prot opt in     out     source               destination         
    0     0 DROP       all  --  *      *       0.0.0.0/0            0.0.0.0/0            /* kubernetes firewall for dropping marked packets */ mark match 0x8000/0x8000
    7   412 ACCEPT     udp  --  *      *       0.0.0.0/0            10.1.2.3             udp dpt:1234
`;

/** Kernel log lines from the TRACE target (as `dmesg`/`journalctl -k` shows them). */
export const TRACE_LOG = `[ 8123.101] TRACE: raw:PREROUTING:policy:2 IN=eth0 OUT= MAC=02:42:ac:11:00:02:02:42:ac:11:00:03:08:00 SRC=172.17.0.3 DST=10.96.0.10 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54321 DF PROTO=TCP SPT=40000 DPT=53 SEQ=1 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0
[ 8123.102] TRACE: nat:PREROUTING:rule:1 IN=eth0 OUT= MAC=02:42:ac:11:00:02:02:42:ac:11:00:03:08:00 SRC=172.17.0.3 DST=10.96.0.10 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54321 DF PROTO=TCP SPT=40000 DPT=53 SEQ=1 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0
kernel: eth0: link up
[ 8123.103] TRACE: nat:KUBE-SERVICES:rule:1 IN=eth0 OUT= MAC=02:42:ac:11:00:02:02:42:ac:11:00:03:08:00 SRC=172.17.0.3 DST=10.96.0.10 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54321 DF PROTO=TCP SPT=40000 DPT=53 SEQ=1 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0
[ 8123.104] TRACE: filter:FORWARD:policy:3 IN=eth0 OUT=cni0 MAC=02:42:ac:11:00:02:02:42:ac:11:00:03:08:00 SRC=172.17.0.3 DST=10.244.0.5 LEN=60 TOS=0x00 PREC=0x00 TTL=63 ID=54321 DF PROTO=TCP SPT=40000 DPT=53 SEQ=1 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0
`;

/** A named differential case: `what` states the behaviour under test. */
export interface NamedCase extends Case {
  what: string;
}

/**
 * Registers one node:test test per case, comparing the emulated command with the real tool
 * `tool` (skipped with a message when that tool is not installed here).
 */
export async function differential(tool: string, cmd: Command, cases: NamedCase[]): Promise<void> {
  const { test } = await import('node:test');
  const skip = haveTool(tool) ? false : `real ${tool} is not installed; differential case skipped`;
  for (const c of cases) {
    await test(`${c.what} (same as GNU: ${c.argv.map((a) => JSON.stringify(a)).join(' ')})`, { skip }, () => assertSameAsReal(cmd, c));
  }
}

/**
 * bridge-utils' `brctl` (1.7.1): bridges and their ports through the old interface (show,
 * showmacs, showstp, addbr/delbr, addif/delif, stp, hairpin, the timers and priorities), with
 * its messages, its `Usage:` text and its exit statuses.
 */
import type { Command, CommandContext } from '../command.ts';
import { KernelError, STRERROR, type Errno } from '../../kernel/errno.ts';
import type { Link } from '../../kernel/link.ts';
import type { NetNs } from '../../kernel/netns.ts';
import { bridgeId, portId, portNo, portState } from '../../kernel/ifinfo.ts';

interface Cmd {
  name: string;
  nargs: number;
  help: string;
  run(c: Ctx, args: string[]): number;
}

interface Ctx {
  ns: NetNs;
  now: number;
  out(t: string): void;
  err(t: string): void;
}

/** Bridges of the namespace, sorted by name as scandir(alphasort) lists /sys/class/net. */
function bridges(ns: NetNs): Link[] {
  return [...ns.links.values()].filter((l) => l.kind === 'bridge').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function byName(names: Link[]): Link[] {
  return [...names].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function errnoOf(e: unknown): Errno {
  if (e instanceof KernelError) return e.errno;
  throw e;
}

function showBridge(br: Link): string {
  let s = `${br.name}\t\t${bridgeId(br)}\t${br.bridge!.stp ? 'yes' : 'no'}\t\t`;
  const ports = byName(br.ports());
  if (!ports.length) return s + '\n';
  s += `${ports[0].name}\n`;
  for (const p of ports.slice(1)) s += `\t\t\t\t\t\t\t${p.name}\n`;
  return s;
}

const HEADER = 'bridge name\tbridge id\t\tSTP enabled\tinterfaces\n';

function cmdShow(c: Ctx, args: string[]): number {
  if (args.length === 1) {
    c.out(HEADER + bridges(c.ns).map(showBridge).join(''));
    return 0;
  }
  let headed = false;
  let status = 0;
  for (const name of args.slice(1)) {
    const l = c.ns.link(name);
    if (!l) {
      c.err(`bridge ${name} does not exist!\n`);
      status = 1;
      continue;
    }
    if (l.kind !== 'bridge') {
      c.err(`device ${name} is not a bridge!\n`);
      status = 1;
      continue;
    }
    if (!headed) c.out(HEADER);
    headed = true;
    c.out(showBridge(l));
  }
  return status;
}

/** br_show_timer: seconds with two decimals in a field of four. */
function timer(cs: number): string {
  const sec = Math.floor(cs / 100);
  return `${String(sec).padStart(4)}.${String(Math.floor(cs % 100)).padStart(2, '0')}`;
}

function cmdShowmacs(c: Ctx, args: string[]): number {
  const br = c.ns.link(args[1]);
  if (!br || br.kind !== 'bridge') {
    c.err(`read of forward table failed: ${STRERROR[br ? 'EOPNOTSUPP' : 'ENODEV']}\n`);
    return 1;
  }
  const info = br.bridge!;
  // /sys/class/net/BR/brforward skips the bridge's own address and expired entries.
  const entries = [...info.fdb.values()].filter((e) => e.local || e.static || e.updated + info.ageingTime * 10 > c.now);
  entries.sort((a, b) => (a.mac < b.mac ? -1 : a.mac > b.mac ? 1 : 0));
  let s = 'port no\tmac addr\t\tis local?\tageing timer\n';
  for (const e of entries) {
    const age = e.static ? 0 : Math.floor((c.now - e.updated) / 10);
    s += `${String(portNo(e.port)).padStart(3)}\t${e.mac}\t${e.local ? 'yes' : 'no'}\t\t${timer(age)}\n`;
  }
  c.out(s);
  return 0;
}

function cmdShowstp(c: Ctx, args: string[]): number {
  const br = c.ns.link(args[1]);
  if (!br) {
    c.err(`bridge ${args[1]} does not exist!\n`);
    return 1;
  }
  if (br.kind !== 'bridge') {
    c.err(`device ${args[1]} is not a bridge!\n`);
    return 1;
  }
  const b = br.bridge!;
  const id = bridgeId(br);
  let s = `${br.name}\n`;
  s += ` bridge id\t\t${id}\n designated root\t${id}\n`;
  s += ` root port\t\t${String(0).padStart(4)}\t\t\tpath cost\t\t${String(0).padStart(4)}\n`;
  s += ` max age\t\t${timer(b.maxAge)}\t\t\tbridge max age\t\t${timer(b.maxAge)}\n`;
  s += ` hello time\t\t${timer(b.helloTime)}\t\t\tbridge hello time\t${timer(b.helloTime)}\n`;
  s += ` forward delay\t\t${timer(b.forwardDelay)}\t\t\tbridge forward delay\t${timer(b.forwardDelay)}\n`;
  s += ` ageing time\t\t${timer(b.ageingTime)}\n`;
  s += ` hello timer\t\t${timer(0)}\t\t\ttcn timer\t\t${timer(0)}\n`;
  s += ` topology change timer\t${timer(0)}\t\t\tgc timer\t\t${timer(0)}\n`;
  s += ' flags\t\t\t\n\n\n';
  for (const p of byName(br.ports())) {
    const pid = portId(p).toString(16).padStart(4, '0');
    s += `${p.name} (${portNo(p)})\n`;
    s += ` port id\t\t${pid}\t\t\tstate\t\t${portState(p).padStart(15)}\n`;
    s += ` designated root\t${id}\tpath cost\t\t${String(p.port!.cost).padStart(4)}\n`;
    s += ` designated bridge\t${id}\tmessage age timer\t${timer(0)}\n`;
    s += ` designated port\t${pid}\t\t\tforward delay timer\t${timer(0)}\n`;
    s += ` designated cost\t${String(0).padStart(4)}\t\t\thold timer\t\t${timer(0)}\n`;
    s += ' flags\t\t\t\n\n';
  }
  c.out(s);
  return 0;
}

function cmdAddbr(c: Ctx, args: string[]): number {
  // The ioctl copies at most IFNAMSIZ-1 characters of the name.
  const name = args[1].slice(0, 15);
  try {
    c.ns.createLink({ name, kind: 'bridge' });
  } catch (e) {
    const errno = errnoOf(e);
    if (errno === 'EEXIST') c.err(`device ${args[1]} already exists; can't create bridge with the same name\n`);
    else c.err(`add bridge failed: ${STRERROR[errno]}\n`);
    return 1;
  }
  return 0;
}

function cmdDelbr(c: Ctx, args: string[]): number {
  const name = args[1];
  const l = c.ns.link(name);
  if (!l) c.err(`bridge ${name} doesn't exist; can't delete it\n`);
  else if (l.kind !== 'bridge') c.err(`can't delete bridge ${name}: ${STRERROR.EPERM}\n`);
  else if (l.adminUp) c.err(`bridge ${name} is still up; can't delete it\n`);
  else {
    c.ns.deleteLink(l);
    return 0;
  }
  return 1;
}

function cmdAddif(c: Ctx, args: string[]): number {
  const brname = args[1];
  for (const ifname of args.slice(2)) {
    const dev = c.ns.link(ifname);
    const br = c.ns.link(brname);
    let errno: Errno | undefined;
    if (!br || !dev) errno = 'ENODEV';
    else if (br.kind !== 'bridge') errno = 'EOPNOTSUPP';
    else if (dev.kind === 'bridge') errno = 'ELOOP';
    else if (dev.master) errno = 'EBUSY';
    else {
      try {
        c.ns.setMaster(dev, br);
      } catch (e) {
        errno = errnoOf(e);
      }
    }
    if (!errno) continue;
    if (errno === 'ENODEV') c.err(dev ? `bridge ${brname} does not exist!\n` : `interface ${ifname} does not exist!\n`);
    else if (errno === 'EBUSY') c.err(`device ${ifname} is already a member of a bridge; can't add it to bridge ${brname}.\n`);
    else if (errno === 'ELOOP') c.err(`device ${ifname} is a bridge device itself; can't add a bridge device to a bridge device.\n`);
    else c.err(`can't add ${ifname} to bridge ${brname}: ${STRERROR[errno]}\n`);
    return 1;
  }
  return 0;
}

function cmdDelif(c: Ctx, args: string[]): number {
  const brname = args[1];
  for (const ifname of args.slice(2)) {
    const dev = c.ns.link(ifname);
    const br = c.ns.link(brname);
    if (!dev) {
      c.err(`interface ${ifname} does not exist!\n`);
      return 1;
    }
    if (!br) {
      c.err(`bridge ${brname} does not exist!\n`);
      return 1;
    }
    if (br.kind !== 'bridge') {
      c.err(`can't delete ${ifname} from ${brname}: ${STRERROR.EOPNOTSUPP}\n`);
      return 1;
    }
    if (dev.master !== br) {
      c.err(`device ${ifname} is not a port of ${brname}\n`);
      return 1;
    }
    c.ns.setMaster(dev, undefined);
  }
  return 0;
}

/** A bridge setting written through /sys/class/net/BR/bridge/: no such bridge is ENODEV. */
function withBridge(c: Ctx, name: string, what: string, fn: (br: Link) => Errno | undefined): number {
  const br = c.ns.link(name);
  const errno = !br || br.kind !== 'bridge' ? 'ENODEV' : fn(br);
  if (!errno) return 0;
  c.err(`${what} failed: ${STRERROR[errno]}\n`);
  return 1;
}

/** A port setting written through /sys/class/net/PORT/brport/ (the bridge argument is not even looked at). */
function withPort(c: Ctx, name: string, what: string, fn: (port: Link) => Errno | undefined): number {
  const p = c.ns.link(name);
  const errno = !p || !p.port ? 'ENOENT' : fn(p);
  if (!errno) return 0;
  c.err(`${what} failed: ${STRERROR[errno]}\n`);
  return 1;
}

/** sscanf("%lf") accepts a leading number and ignores what follows. */
function parseSeconds(v: string): number | undefined {
  const m = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?/i.exec(v);
  return m ? Number(m[0]) : undefined;
}

function parseInt0(v: string): number | undefined {
  const m = /^\s*[-+]?\d+/.exec(v);
  return m ? Number(m[0]) : undefined;
}

/** Seconds to the centiseconds the kernel keeps, as brctl's __tv_to_jiffies and the sysfs store do. */
function cs(sec: number): number {
  return Math.trunc(sec * 100);
}

const COMMANDS: Cmd[] = [
  { name: 'addbr', nargs: 1, help: '<bridge>\t\tadd bridge', run: cmdAddbr },
  { name: 'delbr', nargs: 1, help: '<bridge>\t\tdelete bridge', run: cmdDelbr },
  { name: 'addif', nargs: 2, help: '<bridge> <device>\tadd interface to bridge', run: cmdAddif },
  { name: 'delif', nargs: 2, help: '<bridge> <device>\tdelete interface from bridge', run: cmdDelif },
  {
    name: 'hairpin', nargs: 3, help: '<bridge> <port> {on|off}\tturn hairpin on/off',
    run: (c, a) => {
      const on = onOff(a[3]);
      if (on === undefined) {
        c.err('expect on/off for argument\n');
        return 1;
      }
      if (!c.ns.link(a[1])) {
        c.err(`bridge ${a[1]} does not exist!\n`);
        return 1;
      }
      const p = c.ns.link(a[2]);
      if (!p) {
        c.err(`interface ${a[2]} does not exist!\n`);
        return 1;
      }
      if (!p.port) {
        c.err(`can't set ${a[2]} to hairpin on bridge ${a[1]}: ${STRERROR.ENOENT}\n`);
        return 1;
      }
      p.port.hairpin = on;
      return 0;
    },
  },
  {
    name: 'setageing', nargs: 2, help: '<bridge> <time>\t\tset ageing time',
    run: (c, a) => {
      const v = parseSeconds(a[2]);
      if (v === undefined) return bad(c, 'bad ageing time value');
      return withBridge(c, a[1], 'set ageing time', (br) => {
        br.bridge!.ageingTime = cs(v);
        return undefined;
      });
    },
  },
  {
    name: 'setbridgeprio', nargs: 2, help: '<bridge> <prio>\t\tset bridge priority',
    run: (c, a) => {
      const v = parseInt0(a[2]);
      if (v === undefined) return bad(c, 'bad priority');
      return withBridge(c, a[1], 'set bridge priority', (br) => {
        br.bridge!.priority = v & 0xffff;
        return undefined;
      });
    },
  },
  {
    name: 'setfd', nargs: 2, help: '<bridge> <time>\t\tset bridge forward delay',
    run: (c, a) => {
      const v = parseSeconds(a[2]);
      if (v === undefined) return bad(c, 'bad forward delay value');
      return withBridge(c, a[1], 'set forward delay', (br) => {
        // br_set_forward_delay checks the range only while STP runs.
        if (br.bridge!.stp && (cs(v) < 200 || cs(v) > 3000)) return 'ERANGE';
        br.bridge!.forwardDelay = cs(v);
        return undefined;
      });
    },
  },
  {
    name: 'sethello', nargs: 2, help: '<bridge> <time>\t\tset hello time',
    run: (c, a) => {
      const v = parseSeconds(a[2]);
      if (v === undefined) return bad(c, 'bad hello timer value');
      return withBridge(c, a[1], 'set hello timer', (br) => {
        if (cs(v) < 100 || cs(v) > 1000) return 'ERANGE';
        br.bridge!.helloTime = cs(v);
        return undefined;
      });
    },
  },
  {
    name: 'setmaxage', nargs: 2, help: '<bridge> <time>\t\tset max message age',
    run: (c, a) => {
      const v = parseSeconds(a[2]);
      if (v === undefined) return bad(c, 'bad max age value');
      return withBridge(c, a[1], 'set max age', (br) => {
        if (cs(v) < 600 || cs(v) > 4000) return 'ERANGE';
        br.bridge!.maxAge = cs(v);
        return undefined;
      });
    },
  },
  {
    name: 'setpathcost', nargs: 3, help: '<bridge> <port> <cost>\tset path cost',
    run: (c, a) => {
      const v = parseInt0(a[3]);
      if (v === undefined) return bad(c, 'bad path cost value');
      return withPort(c, a[2], 'set path cost', (p) => {
        if (v < 1) return 'EINVAL';
        p.port!.cost = v;
        return undefined;
      });
    },
  },
  {
    name: 'setportprio', nargs: 3, help: '<bridge> <port> <prio>\tset port priority',
    run: (c, a) => {
      const v = parseInt0(a[3]);
      if (v === undefined) return bad(c, 'bad path priority value');
      return withPort(c, a[2], 'set port priority', (p) => {
        if (v < 0 || v > 63) return 'ERANGE';
        p.port!.priority = v;
        return undefined;
      });
    },
  },
  { name: 'show', nargs: 0, help: '[ <bridge> ]\t\tshow a list of bridges', run: cmdShow },
  { name: 'showmacs', nargs: 1, help: '<bridge>\t\tshow a list of mac addrs', run: cmdShowmacs },
  { name: 'showstp', nargs: 1, help: '<bridge>\t\tshow bridge stp info', run: cmdShowstp },
  {
    name: 'stp', nargs: 2, help: '<bridge> {on|off}\tturn stp on/off',
    run: (c, a) => {
      const on = onOff(a[2]);
      if (on === undefined) {
        c.err('expect on/off for argument\n');
        return 1;
      }
      return withBridge(c, a[1], 'set stp status', (br) => {
        br.bridge!.stp = on;
        return undefined;
      });
    },
  },
];

function onOff(v: string): boolean | undefined {
  if (v === 'on' || v === 'yes' || v === '1') return true;
  if (v === 'off' || v === 'no' || v === '0') return false;
  return undefined;
}

function bad(c: Ctx, msg: string): number {
  c.err(`${msg}\n`);
  return 1;
}

function help(): string {
  return 'Usage: brctl [commands]\ncommands:\n' + COMMANDS.map((c) => `\t${c.name.padEnd(10)}\t${c.help}\n`).join('');
}

function run(ctx: CommandContext): number {
  const c: Ctx = { ns: ctx.sys.netns(), now: ctx.sys.now(), out: ctx.stdout, err: ctx.stderr };
  // getopt("Vh") with GNU permutation: an option anywhere on the line is taken as one.
  const words: string[] = [];
  const argv = ctx.argv.slice(1);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      words.push(a);
      continue;
    }
    if (a === '--help' || (a.startsWith('--') && '--help'.startsWith(a) && a.length > 2)) {
      c.out(help());
      return 0;
    }
    if (a.startsWith('--') && '--version'.startsWith(a) && a.length > 2) {
      c.out('bridge-utils, 1.7\n');
      return 0;
    }
    if (a.startsWith('--')) {
      c.err(`brctl: unrecognized option '${a}'\nUnknown option '?'\n`);
      c.out(help());
      return 1;
    }
    for (const ch of a.slice(1)) {
      if (ch === 'h') {
        c.out(help());
        return 0;
      }
      if (ch === 'V') {
        c.out('bridge-utils, 1.7\n');
        return 0;
      }
      c.err(`brctl: invalid option -- '${ch}'\nUnknown option '?'\n`);
      c.out(help());
      return 1;
    }
  }
  if (!words.length) {
    c.out(help());
    return 1;
  }
  const cmd = COMMANDS.find((x) => x.name === words[0]);
  if (!cmd) {
    c.err(`never heard of command [${words[0]}]\n`);
    c.out(help());
    return 1;
  }
  if (words.length < cmd.nargs + 1) {
    c.out(`Incorrect number of arguments for command\nUsage: brctl ${cmd.name} ${cmd.help}\n`);
    return 1;
  }
  return cmd.run(c, words);
}

export const brctl: Command = (ctx) => run(ctx);

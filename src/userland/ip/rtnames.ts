/**
 * rtnetlink's name databases (rt_names.c): route protocols, scopes, tables, realms, DS fields
 * and device groups, from the built-in names plus /etc/iproute2/{rt_protos,rt_scopes,rt_tables,
 * rt_realms,rt_dsfield,group} and the `.conf` files of rt_protos.d and rt_tables.d, as read
 * from the host's files. `-N` (numeric) prints numbers instead.
 */
import type { FileSystem } from '../../host/sim/fs.ts';
import { strtol } from './args.ts';

const CONFDIR = '/etc/iproute2';

/** fread_id_name: "ID NAME" lines (decimal or 0x hex), `#` comments. */
function readDb(fs: FileSystem, path: string, warn: (t: string) => void): [number, string][] {
  const text = fs.read(path);
  if (text === undefined) return [];
  const out: [number, string][] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^[ \t]+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(0x[0-9a-fA-F]+|-?\d+)\s+(\S+)/.exec(line);
    if (!m) {
      warn(`Database ${path} is corrupted at ${line}\n`);
      break;
    }
    out.push([m[1].startsWith('0x') ? parseInt(m[1].slice(2), 16) : Number(m[1]), m[2]]);
  }
  return out;
}

/** The `.conf` files of a `.d` directory, in directory order. */
function confFiles(fs: FileSystem, dir: string): string[] {
  if (!fs.isDir(dir)) return [];
  return fs
    .list(dir)
    .filter((n) => !n.startsWith('.') && n.length > 5 && n.endsWith('.conf'))
    .map((n) => `${dir}/${n}`);
}

const BUILTIN_PROTOS: Record<number, string> = {
  0: 'unspec', 1: 'redirect', 2: 'kernel', 3: 'boot', 4: 'static', 8: 'gated', 9: 'ra', 10: 'mrt', 11: 'zebra', 12: 'bird',
  42: 'babel', 13: 'dnrouted', 14: 'xorp', 15: 'ntk', 16: 'dhcp', 18: 'keepalived', 186: 'bgp', 187: 'isis', 188: 'ospf', 189: 'rip', 192: 'eigrp',
};
const BUILTIN_SCOPES: Record<number, string> = { 0: 'global', 255: 'nowhere', 254: 'host', 253: 'link', 200: 'site' };
const BUILTIN_TABLES: Record<number, string> = { 253: 'default', 254: 'main', 255: 'local' };

/** A table of id → name (n2a) and name → id (a2n) with the built-ins under the file's entries. */
class Db {
  readonly byId = new Map<number, string>();
  readonly byName = new Map<string, number>();

  constructor(builtin: Record<number, string>, entries: [number, string][], maxId = 255) {
    for (const [id, name] of Object.entries(builtin)) this.set(Number(id), name);
    for (const [id, name] of entries) if (id >= 0 && id <= maxId) this.set(id, name);
  }

  private set(id: number, name: string): void {
    this.byId.set(id, name);
    if (!this.byName.has(name)) this.byName.set(name, id);
  }
}

export class RtNames {
  private cache = new Map<string, Db>();

  constructor(
    private readonly fs: FileSystem,
    readonly numeric: boolean,
    private readonly warn: (t: string) => void = () => {},
  ) {}

  private db(name: string, builtin: Record<number, string>, dir?: string, maxId = 255): Db {
    let d = this.cache.get(name);
    if (!d) {
      const files = [`${CONFDIR}/${name}`, ...(dir ? confFiles(this.fs, `${CONFDIR}/${dir}`) : [])];
      d = new Db(builtin, files.flatMap((f) => readDb(this.fs, f, this.warn)), maxId);
      this.cache.set(name, d);
    }
    return d;
  }

  /** The a2n fallback: a number (strtoul base 0) no bigger than `max`. */
  private static number(arg: string, max: number, base = 0): number | undefined {
    const { value, end } = strtol(arg, base);
    if (end === 0 || end !== arg.length || value < 0 || value > max) return undefined;
    return value;
  }

  protoN2A(id: number): string {
    if (this.numeric) return String(id);
    return this.db('rt_protos', BUILTIN_PROTOS, 'rt_protos.d').byId.get(id) ?? String(id);
  }

  protoA2N(arg: string): number | undefined {
    return this.db('rt_protos', BUILTIN_PROTOS, 'rt_protos.d').byName.get(arg) ?? RtNames.number(arg, 255);
  }

  scopeN2A(id: number): string {
    if (this.numeric) return String(id);
    return this.db('rt_scopes', BUILTIN_SCOPES).byId.get(id) ?? String(id);
  }

  scopeA2N(arg: string): number | undefined {
    return this.db('rt_scopes', BUILTIN_SCOPES).byName.get(arg) ?? RtNames.number(arg, 255);
  }

  tableN2A(id: number): string {
    if (this.numeric) return String(id);
    return this.db('rt_tables', BUILTIN_TABLES, 'rt_tables.d', 0xffffffff).byId.get(id) ?? String(id);
  }

  tableA2N(arg: string): number | undefined {
    return this.db('rt_tables', BUILTIN_TABLES, 'rt_tables.d', 0xffffffff).byName.get(arg) ?? RtNames.number(arg, 0xffffffff);
  }

  realmN2A(id: number): string {
    if (this.numeric) return String(id);
    return this.db('rt_realms', { 0: 'unknown' }).byId.get(id) ?? String(id);
  }

  realmA2N(arg: string): number | undefined {
    return this.db('rt_realms', { 0: 'unknown' }).byName.get(arg) ?? RtNames.number(arg, 255);
  }

  dsfieldN2A(id: number): string {
    if (!this.numeric) {
      const n = this.db('rt_dsfield', { 0: '0' }).byId.get(id);
      if (n !== undefined) return n;
    }
    return `0x${id.toString(16).padStart(2, '0')}`;
  }

  dsfieldA2N(arg: string): number | undefined {
    return this.db('rt_dsfield', { 0: '0' }).byName.get(arg) ?? RtNames.number(arg, 255, 16);
  }

  groupN2A(id: number): string {
    if (this.numeric) return String(id);
    return this.db('group', { 0: 'default' }, undefined, 0x7fffffff).byId.get(id) ?? String(id);
  }

  groupA2N(arg: string): number | undefined {
    const n = this.db('group', { 0: 'default' }, undefined, 0x7fffffff).byName.get(arg);
    if (n !== undefined) return n;
    const { value, end } = strtol(arg, 0);
    return end === 0 || end !== arg.length || value < 0 ? undefined : value;
  }
}

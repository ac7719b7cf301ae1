/**
 * host-local's disk backend (backend/disk): `<dataDir>/<network>/` holds one file per
 * reserved address (content: container id, `\r\n`, interface name), `last_reserved_ip.<range>`
 * and the `lock` file. Upstream serialises plugin processes with flock on `lock`; here calls
 * on one node queue behind each other instead (an await between "is it free" and "take it"
 * must not let another ADD take the same address).
 */
import type { PluginSys } from './sys.ts';
import { formatIPv4, parseIPv4 } from './ipnet.ts';

const LAST_IP_PREFIX = 'last_reserved_ip.';
const LINE_BREAK = '\r\n';

const queues = new WeakMap<object, Map<string, Promise<unknown>>>();

export class Store {
  readonly dir: string;

  constructor(
    private readonly sys: PluginSys,
    network: string,
    dataDir: string,
  ) {
    this.dir = `${dataDir.replace(/\/+$/, '')}/${network}`;
  }

  /** Runs `fn` holding the network's lock. */
  async locked<T>(fn: () => Promise<T>): Promise<T> {
    let byDir = queues.get(this.sys);
    if (!byDir) queues.set(this.sys, (byDir = new Map()));
    const prev = byDir.get(this.dir) ?? Promise.resolve();
    const run = prev.then(async () => {
      if ((await this.sys.readFile(`${this.dir}/lock`)) === undefined) await this.sys.writeFile(`${this.dir}/lock`, '');
      return fn();
    });
    byDir.set(this.dir, run.catch(() => {}));
    return run;
  }

  private path(name: string): string {
    return `${this.dir}/${name}`;
  }

  /** Takes `ip` for the container unless someone has it; records it as the range's last. */
  async reserve(id: string, ifName: string, ip: number, rangeId: string): Promise<boolean> {
    const name = formatIPv4(ip);
    if ((await this.sys.readFile(this.path(name))) !== undefined) return false;
    await this.sys.writeFile(this.path(name), id.trim() + LINE_BREAK + ifName);
    await this.sys.writeFile(this.path(LAST_IP_PREFIX + rangeId), name);
    return true;
  }

  async lastReservedIP(rangeId: string): Promise<number | undefined> {
    const t = await this.sys.readFile(this.path(LAST_IP_PREFIX + rangeId));
    return t === undefined ? undefined : parseIPv4(t.trim());
  }

  /** The reservation files and what they hold. */
  private async entries(): Promise<{ ip: number; name: string; owner: string }[]> {
    const out: { ip: number; name: string; owner: string }[] = [];
    for (const name of await this.sys.listDir(this.dir)) {
      const ip = parseIPv4(name);
      if (ip === undefined) continue;
      const data = await this.sys.readFile(this.path(name));
      if (data !== undefined) out.push({ ip, name, owner: data.trim() });
    }
    return out;
  }

  /** Whether a file is the container's: `id\r\nifname`, or just `id` as older versions wrote. */
  private static owns(owner: string, id: string, ifName: string): boolean {
    return owner === id.trim() + LINE_BREAK + ifName || owner === id.trim();
  }

  async getByID(id: string, ifName: string): Promise<number[]> {
    return (await this.entries()).filter((e) => Store.owns(e.owner, id, ifName)).map((e) => e.ip);
  }

  /** ReleaseByID: the current form first, the old id-only form only if nothing matched. */
  async releaseByID(id: string, ifName: string): Promise<void> {
    const all = await this.entries();
    let mine = all.filter((e) => e.owner === id.trim() + LINE_BREAK + ifName);
    if (!mine.length) mine = all.filter((e) => e.owner === id.trim());
    for (const e of mine) await this.sys.removeFile(this.path(e.name));
  }
}

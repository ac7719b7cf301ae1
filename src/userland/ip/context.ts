/**
 * What every `ip` object handler shares: the global options (-4, -d, -s, -o, -br, -j...), the
 * namespace it talks to (switched by -n), the printer, the name databases, device lookups as
 * ll_map.c does them, and `rtnl()`, the netlink round trip that turns a kernel error into
 * iproute2's "RTNETLINK answers: ..." or "Error: <extack>." line.
 */
import type { CommandContext, System } from '../command.ts';
import { KernelError } from '../../kernel/errno.ts';
import type { Link } from '../../kernel/link.ts';
import type { NetNs } from '../../kernel/netns.ts';
import { AF_UNSPEC, stderr } from './args.ts';
import { Printer } from './output.ts';
import { RtNames } from './rtnames.ts';

export interface IpOptions {
  family: number;
  stats: number;
  details: number;
  oneline: number;
  brief: number;
  json: number;
  pretty: number;
  force: number;
  numeric: number;
  resolve: number;
  doAll: boolean;
  batchMode: boolean;
  echo: number;
  loops: number;
}

export function defaultOptions(): IpOptions {
  return { family: AF_UNSPEC, stats: 0, details: 0, oneline: 0, brief: 0, json: 0, pretty: 0, force: 0, numeric: 0, resolve: 0, doAll: false, batchMode: false, echo: 0, loops: 10 };
}

export class IpCtx {
  readonly out: Printer;
  readonly names: RtNames;

  constructor(
    readonly cmd: CommandContext,
    public sys: System,
    readonly opts: IpOptions,
  ) {
    this.out = new Printer((t) => cmd.stdout(t), { json: !!opts.json, pretty: !!opts.pretty, oneline: !!opts.oneline });
    this.names = new RtNames(cmd.fs, !!opts.numeric, (t) => cmd.stderr(t));
  }

  get ns(): NetNs {
    return this.sys.netns();
  }

  /**
   * ll_name_to_index: a device of this namespace by name, or by `ifN` for an index (how
   * iproute2 names devices it only knows by number).
   */
  link(name: string): Link | undefined {
    const l = this.ns.link(name);
    if (l) return l;
    const m = /^if(\d+)$/.exec(name);
    return m ? this.ns.links.get(Number(m[1])) : undefined;
  }

  /** ll_index_to_name: the name, or `ifN` for an index not in this namespace. */
  indexName(ifindex: number): string {
    return this.ns.links.get(ifindex)?.name ?? `if${ifindex}`;
  }

  /**
   * rtnl_talk: runs the kernel request; a failure prints the extended ack (`Error: msg.`) or
   * `RTNETLINK answers: strerror` and gives false.
   */
  rtnl(fn: () => void): boolean {
    try {
      fn();
      return true;
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      stderr(kernelErrorText(e));
      return false;
    }
  }
}

/** How libnetlink reports a failed request. */
export function kernelErrorText(e: KernelError): string {
  if (e.extack) return `Error: ${e.extack}${e.extack.endsWith('.') ? '' : '.'}\n`;
  return `RTNETLINK answers: ${e.strerror}\n`;
}

/**
 * The contract between the CNI runtime (or the skel of a plugin binary) and a plugin: the
 * CNI_* parameters, the stdin configuration, and a way to run another plugin (the IPAM plugin,
 * which the reference plugins exec from CNI_PATH). Also the helpers every plugin shares:
 * parsing its config and CNI_ARGS, and opening the namespace CNI_NETNS names.
 */
import type { PluginSys } from './sys.ts';
import { CniError, ErrCode, checkVersion, type CniResult, type NetConf } from './types.ts';

export type CniCommand = 'ADD' | 'DEL' | 'CHECK';

export interface CmdArgs {
  command: CniCommand;
  containerId: string;
  /** CNI_NETNS: a path (`/var/run/netns/cni-…`); empty on a DEL without a namespace. */
  netns: string;
  ifName: string;
  /** CNI_ARGS: `K=V;K=V`. */
  args: string;
  /** CNI_PATH. */
  path: string;
  stdinData: string;
}

/** Runs another plugin with the caller's parameters and `command` (ipam.ExecAdd / ExecDel / ExecCheck). */
export type Delegate = (type: string, command: CniCommand, stdinData: string) => Promise<CniResult | undefined>;

/** A plugin: ADD resolves to its result (in the configuration's version), DEL and CHECK to nothing. */
export type Plugin = (sys: PluginSys, args: CmdArgs, delegate: Delegate) => Promise<CniResult | undefined>;

/** Parses the stdin configuration; `what` names it in the error the way the plugin words it. */
export function parseConf<T extends NetConf>(stdinData: string, what = 'failed to load netconf'): T {
  let conf: T;
  try {
    conf = JSON.parse(stdinData) as T;
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
  if (typeof conf !== 'object' || conf === null || Array.isArray(conf)) throw new Error(`${what}: not a JSON object`);
  conf.cniVersion = checkVersion(conf.cniVersion);
  return conf;
}

/**
 * types.LoadArgs: `K=V` pairs; keys not in `known` are an error unless IgnoreUnknown is set
 * (container runtimes set it, since they pass the K8S_POD_* keys to every plugin).
 */
export function loadArgs(args: string, known: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!args) return out;
  const unknown: string[] = [];
  for (const pair of args.split(';')) {
    const kv = pair.split('=');
    if (kv.length !== 2) throw new Error(`ARGS: invalid pair ${JSON.stringify(pair)}`);
    out[kv[0]] = kv[1];
  }
  const ignore = ['1', 'true'].includes((out.IgnoreUnknown ?? '').toLowerCase());
  for (const k of Object.keys(out)) if (k !== 'IgnoreUnknown' && !known.includes(k)) unknown.push(k);
  if (unknown.length && !ignore) throw new Error(`ARGS: unknown args ${JSON.stringify(unknown)}`);
  return out;
}

/** The namespace name behind a CNI_NETNS path (`/var/run/netns/cni-x` → `cni-x`). */
export function netnsName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Whether the node has the namespace CNI_NETNS points at. */
export async function netnsExists(sys: PluginSys, path: string): Promise<boolean> {
  const r = await sys.run(['ip', 'netns', 'list']);
  return r.stdout.split('\n').some((l) => l.split(' ')[0] === netnsName(path));
}

/** ns.GetNS: the namespace's name, or the plugin's failure when there is none. */
export async function openNetns(sys: PluginSys, path: string): Promise<string> {
  if (!(await netnsExists(sys, path))) throw new Error(`failed to open netns ${JSON.stringify(path)}: failed to Statfs ${JSON.stringify(path)}: no such file or directory`);
  return netnsName(path);
}

/** The IPAM section's type, required by the plugins that delegate addressing. */
export function ipamType(conf: NetConf): string {
  const t = conf.ipam?.type;
  if (typeof t !== 'string' || !t) throw new CniError(ErrCode.InvalidNetworkConfig, 'IPAM config missing \'type\' key');
  return t;
}

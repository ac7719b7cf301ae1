/**
 * The container runtime's CNI library (libcni, as containerd uses it): the node's network
 * configuration (the lexically first .conf/.conflist/.json in /etc/cni/net.d, a single-plugin
 * .conf becoming a one-plugin list), ADD through the chain with each plugin getting the previous
 * result, DEL in reverse order with the cached result, CHECK, the capability arguments a plugin
 * declares (`portMappings` into runtimeConfig), and the result cache in /var/lib/cni/results.
 * Failures are CniErrors reading as containerd logs them:
 * `plugin type="bridge" name="kindnet" failed (add): <the plugin's message>`.
 */
import type { Host } from '../../host/host.ts';
import type { CmdArgs, CniCommand } from './plugin.ts';
import { DEFAULT_BIN_DIR, invokePlugin } from './plugins.ts';
import { CniError, ErrCode, SUPPORTED_VERSIONS, convertResult, versionAtLeast, type CniResult, type NetConf, type NetConfList } from './types.ts';

export interface PortMapping {
  hostPort: number;
  containerPort: number;
  protocol: string;
  hostIP?: string;
}

export interface CniRuntimeConf {
  containerId: string;
  /** The namespace's name under /var/run/netns (`cni-<uuid>`). */
  netns: string;
  ifName: string;
  /** CNI_ARGS (K8S_POD_NAMESPACE, K8S_POD_NAME, K8S_POD_INFRA_CONTAINER_ID, K8S_POD_UID). */
  args: Record<string, string>;
  capabilityArgs?: { portMappings?: PortMapping[] };
}

export type { CniResult };

export const DEFAULT_CONF_DIR = '/etc/cni/net.d';
export const RESULTS_CACHE_DIR = '/var/lib/cni/results';
const CONF_EXTENSIONS = ['.conf', '.conflist', '.json'];

/** The list plus the text it came from (the cache keeps it). */
interface LoadedList {
  list: NetConfList;
  bytes: string;
}

function invalid(msg: string): never {
  throw new CniError(ErrCode.InvalidNetworkConfig, msg);
}

function checkPlugin(p: unknown, where: string): NetConf {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) invalid(`${where}: invalid plugin config`);
  if (typeof (p as NetConf).type !== 'string' || !(p as NetConf).type) invalid(`${where}: missing 'type'`);
  return p as NetConf;
}

/** libcni's ConfListFromBytes, or ConfFromBytes + ConfListFromConf for a single plugin. */
export function parseConfig(file: string, bytes: string): NetConfList {
  const isList = file.endsWith('.conflist');
  const where = isList ? 'error parsing configuration list' : 'error parsing configuration';
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(bytes) as Record<string, unknown>;
  } catch (e) {
    invalid(`${where}: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) invalid(`${where}: not a JSON object`);
  const name = raw.name;
  if (typeof name !== 'string' || !name) invalid(`${where}: no name`);
  const cniVersion = typeof raw.cniVersion === 'string' ? raw.cniVersion : '';
  if (cniVersion && !SUPPORTED_VERSIONS.includes(cniVersion)) throw new CniError(ErrCode.IncompatibleCNIVersion, `${where}: unsupported CNI version ${JSON.stringify(cniVersion)}`);
  if (!isList) {
    const plugin = checkPlugin(raw, where);
    return { cniVersion, name, plugins: [plugin] };
  }
  const plugins = raw.plugins;
  if (plugins === undefined) invalid(`${where}: no 'plugins' key`);
  if (!Array.isArray(plugins)) invalid(`${where}: invalid 'plugins' type ${typeof plugins}`);
  if (!plugins.length) invalid(`${where}: no plugins in list`);
  return {
    cniVersion, name, disableCheck: raw.disableCheck === true,
    plugins: plugins.map((p, i) => checkPlugin(p, `failed to parse plugin config ${i}: error parsing configuration`)),
  };
}

/** libcni.pluginDescription. */
function describe(p: NetConf, listName: string): string {
  return `type=${JSON.stringify(p.type)} name=${JSON.stringify(listName)}`;
}

export class CniRuntime {
  readonly confDir: string;
  readonly binDir: string;

  constructor(
    private readonly host: Host,
    opts: { confDir?: string; binDir?: string } = {},
  ) {
    this.confDir = opts.confDir ?? DEFAULT_CONF_DIR;
    this.binDir = opts.binDir ?? DEFAULT_BIN_DIR;
  }

  /** The network configuration in force: the first config file in lexical order. */
  async load(): Promise<LoadedList> {
    const files = (await this.host.listDir(this.confDir)).filter((f) => CONF_EXTENSIONS.some((x) => f.endsWith(x))).sort();
    for (const f of files) {
      const bytes = await this.host.readFile(`${this.confDir}/${f}`);
      if (bytes === undefined) continue;
      return { list: parseConfig(f, bytes), bytes };
    }
    throw new CniError(ErrCode.InvalidNetworkConfig, `no network config found in ${this.confDir}: cni plugin not initialized`);
  }

  /** STATUS: whether the node's network is ready (a configuration is there and parses). */
  async status(): Promise<void> {
    await this.load();
  }

  private cachePath(list: NetConfList, rt: CniRuntimeConf): string {
    return `${RESULTS_CACHE_DIR}/${list.name}-${rt.containerId}-${rt.ifName}`;
  }

  /** CNI_ARGS as the runtime passes them (go-cni adds IgnoreUnknown=1 first). */
  private cniArgs(rt: CniRuntimeConf): [string, string][] {
    const pairs = Object.entries(rt.args);
    return 'IgnoreUnknown' in rt.args ? pairs : [['IgnoreUnknown', '1'], ...pairs];
  }

  /** buildOneConfig: the list's name and version, the capabilities the plugin declares, prevResult. */
  private pluginConfig(list: NetConfList, p: NetConf, rt: CniRuntimeConf, prev: CniResult | undefined): string {
    const conf: NetConf = { ...p, name: list.name, cniVersion: list.cniVersion };
    const runtimeConfig: Record<string, unknown> = {};
    for (const [cap, on] of Object.entries(p.capabilities ?? {})) {
      const v = (rt.capabilityArgs as Record<string, unknown> | undefined)?.[cap];
      if (on && v !== undefined) runtimeConfig[cap] = v;
    }
    if (Object.keys(runtimeConfig).length) conf.runtimeConfig = runtimeConfig;
    else delete conf.runtimeConfig;
    if (prev) conf.prevResult = prev;
    else delete conf.prevResult;
    return JSON.stringify(conf);
  }

  private async run(command: CniCommand, list: NetConfList, p: NetConf, rt: CniRuntimeConf, prev: CniResult | undefined): Promise<CniResult | undefined> {
    const args: CmdArgs = {
      command, containerId: rt.containerId, netns: rt.netns ? `/var/run/netns/${rt.netns}` : '', ifName: rt.ifName,
      args: this.cniArgs(rt).map(([k, v]) => `${k}=${v}`).join(';'), path: this.binDir,
      stdinData: this.pluginConfig(list, p, rt, prev),
    };
    const verb = { ADD: 'add', DEL: 'delete', CHECK: 'check' }[command];
    try {
      return await invokePlugin(this.host, p.type, args);
    } catch (e) {
      throw (e as CniError).wrap(`plugin ${describe(p, list.name)} failed (${verb})`);
    }
  }

  /** AddNetworkList: each plugin in order, the last result cached and returned. */
  async add(rt: CniRuntimeConf): Promise<CniResult> {
    const { list, bytes } = await this.load();
    let result: CniResult | undefined;
    for (const p of list.plugins) result = await this.run('ADD', list, p, rt, result);
    if (!result) throw new CniError(ErrCode.Internal, `network ${JSON.stringify(list.name)} returned no result`);
    const cache = {
      kind: 'cniCacheV1', containerId: rt.containerId, config: Buffer.from(bytes).toString('base64'), ifName: rt.ifName,
      networkName: list.name, netns: `/var/run/netns/${rt.netns}`, cniArgs: this.cniArgs(rt),
      ...(rt.capabilityArgs && Object.keys(rt.capabilityArgs).length ? { capabilityArgs: rt.capabilityArgs } : {}),
      result,
    };
    await this.host.writeFile(this.cachePath(list, rt), JSON.stringify(cache));
    return convertResult(result, list.cniVersion);
  }

  private async cachedResult(list: NetConfList, rt: CniRuntimeConf): Promise<CniResult | undefined> {
    const text = await this.host.readFile(this.cachePath(list, rt));
    if (text === undefined) return undefined;
    try {
      return (JSON.parse(text) as { result?: CniResult }).result;
    } catch {
      return undefined;
    }
  }

  /** DelNetworkList: plugins in reverse order; 0.4.0+ gives them the cached result; the cache goes. */
  async del(rt: CniRuntimeConf): Promise<void> {
    const { list } = await this.load();
    const cached = versionAtLeast(list.cniVersion, '0.4.0') ? await this.cachedResult(list, rt) : undefined;
    for (const p of [...list.plugins].reverse()) await this.run('DEL', list, p, rt, cached);
    await this.host.removeFile(this.cachePath(list, rt));
  }

  /** CheckNetworkList: 0.4.0+ only; each plugin with the cached result. */
  async check(rt: CniRuntimeConf): Promise<void> {
    const { list } = await this.load();
    if (!versionAtLeast(list.cniVersion, '0.4.0')) throw new CniError(ErrCode.IncompatibleCNIVersion, `configuration version ${JSON.stringify(list.cniVersion)} does not support the CHECK command`);
    if (list.disableCheck) return;
    const cached = await this.cachedResult(list, rt);
    for (const p of list.plugins) await this.run('CHECK', list, p, rt, cached);
  }
}

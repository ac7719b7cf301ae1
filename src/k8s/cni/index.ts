/**
 * CNI on a node: the runtime side (libcni: CniRuntime) and the reference plugins (bridge, ptp,
 * host-local, loopback, portmap) both as functions and as the /opt/cni/bin commands.
 */
export { CniRuntime, DEFAULT_CONF_DIR, RESULTS_CACHE_DIR, parseConfig, type CniRuntimeConf, type PortMapping } from './runtime.ts';
export { cniCommands, PLUGINS_VERSION } from './commands.ts';
export { PLUGINS, DEFAULT_BIN_DIR, invokePlugin } from './plugins.ts';
export { contextSys, type PluginSys } from './sys.ts';
export { chainName, chainComment, vethName } from './names.ts';
export type { CmdArgs, CniCommand, Plugin, Delegate } from './plugin.ts';
export { CniError, ErrCode, SUPPORTED_VERSIONS, type CniResult, type CniInterface, type CniIPConfig, type CniRoute, type NetConf, type NetConfList } from './types.ts';

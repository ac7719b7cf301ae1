/** ipset in the kernel: set types, sets, the per-namespace registry and the packet match. */
export { IpSet, hashBits, type CreateOpts, type Member } from './set.ts';
export { IpsetError, IpsetRegistry, IPSET_STATE_KEY, ipsetIn } from './registry.ts';
export { setMatches } from './match.ts';
export { SET_TYPES, maskOf, type Dim, type Elem, type SetType, type SetTypeName } from './types.ts';

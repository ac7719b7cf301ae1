/**
 * The ipsets of one network namespace (ip_set_net): sets by index in creation order, and the
 * requests the ipset netlink protocol serves on them — create, destroy, flush, rename, swap,
 * add, del, test — with the kernel's refusals as IpsetError (their text is what ipset 7.x
 * prints after `ipset v7.17: `). It lives in the namespace's netfilter extension state, so the
 * `-m set` match and the ipset tool see the same sets.
 */
import { IpSet, type CreateOpts, type Member } from './set.ts';
import type { Elem, SetTypeName } from './types.ts';

export class IpsetError extends Error {}

/** The key the registry has in a namespace's extension state (NetNs.nfState, EvalContext.state). */
export const IPSET_STATE_KEY = 'ipset';

const NO_SET = 'The set with the given name does not exist';

export class IpsetRegistry {
  private readonly sets: IpSet[] = [];

  list(): readonly IpSet[] {
    return this.sets;
  }

  get(name: string): IpSet | undefined {
    return this.sets.find((s) => s.name === name);
  }

  must(name: string): IpSet {
    const s = this.get(name);
    if (!s) throw new IpsetError(NO_SET);
    return s;
  }

  /**
   * Creates a set. With `exist`, an identical set already there is fine (the kernel compares
   * type and create options, not the random initval unless one was given).
   */
  create(name: string, type: SetTypeName, opts: CreateOpts, exist: boolean, random32: () => number): IpSet {
    const old = this.get(name);
    if (old) {
      if (exist && old.type.name === type && sameOpts(old, opts)) return old;
      throw new IpsetError('Set cannot be created: set with the same name already exists');
    }
    const s = new IpSet(name, type, opts, random32);
    this.sets.push(s);
    return s;
  }

  /** Destroys one set or all (none may be referenced by a rule: `inUse`). */
  destroy(name: string | undefined, inUse: (name: string) => boolean): void {
    const victims = name === undefined ? [...this.sets] : [this.must(name)];
    for (const s of victims) if (inUse(s.name)) throw new IpsetError('Set cannot be destroyed: it is in use by a kernel component');
    for (const s of victims) this.sets.splice(this.sets.indexOf(s), 1);
  }

  flush(name?: string): void {
    for (const s of name === undefined ? this.sets : [this.must(name)]) s.flush();
  }

  rename(from: string, to: string, inUse: (name: string) => boolean): void {
    const s = this.must(from);
    if (this.get(to)) throw new IpsetError('Set cannot be renamed: a set with the new name already exists');
    if (inUse(from)) throw new IpsetError('Set cannot be renamed: it is in use by a kernel component');
    s.name = to;
  }

  /** Swaps two sets of the same type: names and positions stay, contents change places. */
  swap(a: string, b: string): void {
    const sa = this.must(a);
    const sb = this.must(b);
    if (sa.type.name !== sb.type.name) throw new IpsetError('The sets cannot be swapped: their type does not match');
    const ia = this.sets.indexOf(sa);
    const ib = this.sets.indexOf(sb);
    this.sets[ia] = sb;
    this.sets[ib] = sa;
    sa.name = b;
    sb.name = a;
  }

  add(name: string, m: Member, exist: boolean): void {
    const s = this.must(name);
    const r = s.add(m);
    if (r === 'full') throw new IpsetError('Hash is full, cannot add more elements');
    if (r === 'exists') {
      if (!exist) throw new IpsetError("Element cannot be added to the set: it's already added");
      s.update(m);
    }
  }

  del(name: string, e: Elem, exist: boolean): void {
    if (!this.must(name).del(e) && !exist) throw new IpsetError("Element cannot be deleted from the set: it's not added");
  }

  test(name: string, e: Elem): boolean {
    return this.must(name).lookup(e);
  }
}

function sameOpts(s: IpSet, o: CreateOpts): boolean {
  const want = new IpSet(s.name, s.type.name, { ...o, initval: o.initval ?? s.opts.initval }, () => 0);
  const a = s.opts;
  const b = want.opts;
  return a.hashsize === b.hashsize && a.maxelem === b.maxelem && a.initval === b.initval && !!a.comment === !!b.comment &&
    !!a.counters === !!b.counters && a.timeout === b.timeout && String(a.range) === String(b.range);
}

/** The registry kept in a namespace's extension state (created on first use). */
export function ipsetIn(state: Map<string, unknown>): IpsetRegistry {
  let r = state.get(IPSET_STATE_KEY) as IpsetRegistry | undefined;
  if (!r) state.set(IPSET_STATE_KEY, (r = new IpsetRegistry()));
  return r;
}

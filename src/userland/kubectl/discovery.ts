/**
 * What the server serves, as kubectl learns it: the discovery pair `/api` + `/apis`
 * (aggregated, or the legacy lists), and the RESTMapper over it that turns `po`, `pods`,
 * `deploy.apps`, a category like `all`, or a manifest's apiVersion and kind into a resource.
 */
import type { KubeClient } from '../../k8s/client/client.ts';
import { splitApiVersion, type ResourceInfo, type Subresource } from '../../k8s/api/resources.ts';
import { NoMatchError } from './errors.ts';

const DISCOVERY_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

interface AggResource {
  resource: string;
  responseKind?: { group: string; version: string; kind: string };
  scope?: string;
  singularResource?: string;
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  subresources?: { subresource: string; responseKind?: { group: string; version: string; kind: string }; verbs?: string[] }[];
}

interface AggGroup {
  metadata?: { name?: string };
  versions?: { version: string; resources?: AggResource[] }[];
}

interface LegacyResource {
  name: string;
  singularName?: string;
  namespaced?: boolean;
  kind: string;
  group?: string;
  version?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

/** One group as discovery lists it: its versions, preferred first. */
export interface ApiGroupInfo {
  name: string;
  versions: string[];
}

export class Discovery {
  /** Every resource of every served version, in discovery order (preferred versions first within a group). */
  readonly resources: ResourceInfo[] = [];
  readonly groups: ApiGroupInfo[] = [];

  /** GET /api and /apis; with legacy replies, each group version's resource list as well. */
  static async load(client: KubeClient): Promise<Discovery> {
    const d = new Discovery();
    for (const path of ['/api', '/apis']) {
      const res = await client.transport.request({ method: 'GET', path: `${path}?timeout=32s`, headers: { Accept: DISCOVERY_ACCEPT } });
      const ct = res.headers['content-type'] ?? '';
      if (res.status !== 200) {
        // Let the client raise the server's Status in kubectl's words.
        await client.call('GET', `${path}?timeout=32s`);
        continue;
      }
      const body = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
      if (/as=APIGroupDiscoveryList/.test(ct)) d.addAggregated((body.items as AggGroup[] | undefined) ?? []);
      else if (path === '/api') {
        for (const v of (body.versions as string[] | undefined) ?? []) await d.addLegacy(client, '', v, `/api/${v}`);
      } else {
        for (const g of (body.groups as { name: string; versions: { version: string }[]; preferredVersion?: { version: string } }[] | undefined) ?? []) {
          const pref = g.preferredVersion?.version;
          const versions = g.versions.map((v) => v.version).sort((a, b) => (a === pref ? -1 : b === pref ? 1 : 0));
          for (const v of versions) await d.addLegacy(client, g.name, v, `/apis/${g.name}/${v}`);
        }
      }
    }
    return d;
  }

  private addGroup(name: string, version: string): void {
    const g = this.groups.find((x) => x.name === name);
    if (g) {
      if (!g.versions.includes(version)) g.versions.push(version);
    } else {
      this.groups.push({ name, versions: [version] });
    }
  }

  private addAggregated(items: AggGroup[]): void {
    for (const g of items) {
      const group = g.metadata?.name ?? '';
      for (const v of g.versions ?? []) {
        this.addGroup(group, v.version);
        for (const r of v.resources ?? []) {
          const kind = r.responseKind?.kind ?? '';
          this.resources.push({
            group, version: v.version, kind, listKind: `${kind}List`, plural: r.resource,
            singular: r.singularResource || kind.toLowerCase(), namespaced: r.scope === 'Namespaced',
            shortNames: r.shortNames ?? [], categories: r.categories ?? [], verbs: r.verbs ?? [],
            subresources: (r.subresources ?? []).map((s): Subresource => ({
              name: s.subresource, group: s.responseKind?.group ?? group, version: s.responseKind?.version ?? v.version, kind: s.responseKind?.kind ?? '', verbs: s.verbs ?? [],
            })),
          });
        }
      }
    }
  }

  private async addLegacy(client: KubeClient, group: string, version: string, path: string): Promise<void> {
    this.addGroup(group, version);
    const list = await client.call<{ resources?: LegacyResource[] }>('GET', `${path}?timeout=32s`, undefined, { Accept: 'application/json, */*' });
    const main = new Map<string, ResourceInfo>();
    for (const r of list.resources ?? []) {
      const slash = r.name.indexOf('/');
      if (slash >= 0) {
        const parent = main.get(r.name.slice(0, slash));
        parent?.subresources.push({ name: r.name.slice(slash + 1), group: r.group ?? group, version: r.version ?? version, kind: r.kind, verbs: r.verbs ?? [] });
        continue;
      }
      const info: ResourceInfo = {
        group, version, kind: r.kind, listKind: `${r.kind}List`, plural: r.name, singular: r.singularName || r.kind.toLowerCase(),
        namespaced: !!r.namespaced, shortNames: r.shortNames ?? [], categories: r.categories ?? [], verbs: r.verbs ?? [], subresources: [],
      };
      main.set(r.name, info);
      this.resources.push(info);
    }
  }

  /** The preferred version of each group only (what kubectl resolves names against). */
  preferred(): ResourceInfo[] {
    return this.resources.filter((r) => this.groups.find((g) => g.name === r.group)?.versions[0] === r.version);
  }

  /**
   * A resource as a user names it: `pods`, `po`, `pod`, `Pod`, `deployments.apps`,
   * `deployments.v1.apps`. Throws NoMatchError in kubectl's words.
   */
  resolve(name: string): ResourceInfo {
    const lower = name.toLowerCase();
    const parts = lower.split('.');
    const attempts: { resource: string; group?: string; version?: string }[] = [{ resource: lower }];
    if (parts.length >= 3) attempts.push({ resource: parts[0], version: parts[1], group: parts.slice(2).join('.') });
    if (parts.length >= 2) attempts.push({ resource: parts[0], group: parts.slice(1).join('.') });
    for (const a of attempts) {
      const pool = a.version ? this.resources.filter((r) => r.version === a.version) : this.preferred();
      const inGroup = a.group === undefined ? pool : pool.filter((r) => r.group === a.group || (a.group !== '' && r.group.startsWith(`${a.group}.`)));
      // Short names first (the shortcut expander runs before the mapper), then plural, singular and kind.
      const hit = inGroup.find((r) => r.shortNames.includes(a.resource))
        ?? inGroup.find((r) => r.plural === a.resource)
        ?? inGroup.find((r) => r.singular === a.resource || r.kind.toLowerCase() === a.resource);
      if (hit) return hit;
    }
    throw new NoMatchError(name);
  }

  /** The resources of a category (`all`), in discovery order; empty when `name` is no category. */
  category(name: string): ResourceInfo[] {
    return this.preferred().filter((r) => r.categories.includes(name));
  }

  /** The resource serving `kind` in `apiVersion`; undefined when the server has none. */
  byKind(apiVersion: string, kind: string): ResourceInfo | undefined {
    const [group, version] = splitApiVersion(apiVersion);
    return this.resources.find((r) => r.group === group && r.version === version && r.kind === kind);
  }
}

/** `deployment.apps`, `service`: how kubectl's name printer spells a kind (lower-case kind, group). */
export function kindString(r: { kind: string; group: string }): string {
  return r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase();
}

/** The configuration Tables: configmaps, secrets and serviceaccounts (counts of keys and secrets). */
import type { ConfigMap, Secret, ServiceAccount } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../api/object.ts';
import { AGE_COLUMN, NAME_COLUMN, as, column, type Printer } from './columns.ts';
import { DOC } from './descriptions.ts';
import { translateTimestampSince } from './duration.ts';

const count = (m: object | undefined): number => Object.keys(m ?? {}).length;

export const configMapPrinter: Printer = {
  columns: [NAME_COLUMN, column('Data', 'string', DOC.ConfigMap.data), AGE_COLUMN],
  row(obj: KObject, now: number) {
    const cm = as<ConfigMap>(obj);
    return { cells: [cm.metadata?.name ?? '', count(cm.data) + count(cm.binaryData), translateTimestampSince(cm.metadata?.creationTimestamp, now)] };
  },
};

export const secretPrinter: Printer = {
  columns: [NAME_COLUMN, column('Type', 'string', DOC.Secret.type), column('Data', 'string', DOC.Secret.data), AGE_COLUMN],
  row(obj: KObject, now: number) {
    const s = as<Secret>(obj);
    return { cells: [s.metadata?.name ?? '', s.type ?? '', count(s.data), translateTimestampSince(s.metadata?.creationTimestamp, now)] };
  },
};

export const serviceAccountPrinter: Printer = {
  columns: [NAME_COLUMN, column('Secrets', 'string', DOC.ServiceAccount.secrets), AGE_COLUMN],
  row(obj: KObject, now: number) {
    const sa = as<ServiceAccount>(obj);
    return { cells: [sa.metadata?.name ?? '', (sa.secrets ?? []).length, translateTimestampSince(sa.metadata?.creationTimestamp, now)] };
  },
};

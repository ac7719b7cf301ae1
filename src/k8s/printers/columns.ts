/** The shapes shared by the per-resource printers: column definitions and the printer contract. */
import type { KObject } from '../api/object.ts';
import { DOC } from './descriptions.ts';

/** metav1.TableColumnDefinition; every field is always present on the wire (none is omitempty). */
export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** metav1.TableRowCondition, set on pods that have completed. */
export interface RowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface PrintedRow {
  cells: unknown[];
  conditions?: RowCondition[];
}

/** One resource family's columns and how one object becomes one row of cells. */
export interface Printer {
  columns: ColumnDefinition[];
  row(obj: KObject, now: number): PrintedRow;
}

export function column(name: string, type: string, description: string, opts: { format?: string; priority?: number } = {}): ColumnDefinition {
  return { name, type, format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}

/** The Name column every printer starts with. */
export const NAME_COLUMN = column('Name', 'string', DOC.ObjectMeta.name, { format: 'name' });
/** The Age column: the object's creationTimestamp, shown as a duration. */
export const AGE_COLUMN = column('Age', 'string', DOC.ObjectMeta.creationTimestamp);
export const CONTAINERS_COLUMN = column('Containers', 'string', 'Names of each container in the template.', { priority: 1 });
export const IMAGES_COLUMN = column('Images', 'string', 'Images referenced by each container in the template.', { priority: 1 });

/** Container names and images of a pod template, each joined with "," (layoutContainerCells). */
export function containerCells(containers: readonly { name: string; image?: string }[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image ?? '').join(',')];
}

/** The object's fields typed as the kubernetes-types shape `T` (objects travel as plain JSON). */
export function as<T>(obj: KObject): T {
  return obj as unknown as T;
}

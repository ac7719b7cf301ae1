/** kube-apiserver's printers: Tables for `kubectl get`, ages, label and selector text. */
export { humanDuration, parseTime, translateTimestampSince } from './duration.ts';
export { tableFor, printerFor, type TableOptions } from './table.ts';
export type { ColumnDefinition, Printer, PrintedRow, RowCondition } from './columns.ts';
export { formatLabels, formatLabelSelector, selectorString, byteOrder } from './labels.ts';
export { nodeRoles } from './nodes.ts';
export { formatEndpoints, joinHostPort, serviceExternalIP, servicePorts } from './services.ts';
export { eventSource } from './events.ts';

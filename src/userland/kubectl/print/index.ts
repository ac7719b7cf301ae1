/** kubectl's client-side printing: aligned tables from server Tables, `-o name`, `-o yaml`, `-o json`. */
export { printTables, printNames, kindPrefix, escapeTerminal, type GetPrintOptions, type TableResult, type PrintResult } from './get.ts';
export { printObjects, outputValue, type ObjectsResult, type ObjectsPrintOptions } from './objects.ts';
export { toYaml } from './yaml.ts';
export { toJson } from './json.ts';
export { tabwrite, GET_TABWRITER, DESCRIBE_TABWRITER, type TabwriterOptions } from './tabwriter.ts';
export { goFloatG, goSprint } from './gofmt.ts';

/** The declarative form of the protobuf field tables: field number, JSON name, type, and how Go prints the field as JSON. */

/** Wire scalars as k8s.io generated.proto uses them (proto2, so no zigzag or fixed-width integers). */
export type Scalar = 'string' | 'bytes' | 'bool' | 'int32' | 'int64';

/**
 * apimachinery types whose JSON is not their protobuf shape: metav1.Time {1 seconds, 2 nanos} is an
 * RFC 3339 string (null when zero), intstr.IntOrString {1 type, 2 intVal, 3 strVal} a number or a
 * string, resource.Quantity {1 string} a string, metav1.FieldsV1 {1 Raw} the JSON it holds.
 */
export type Special = 'Time' | 'IntOrString' | 'Quantity' | 'FieldsV1';

export interface MessageType {
  readonly name: string;
  /** In Go struct order, which is the order encoding/json prints the keys in. */
  readonly fields: readonly FieldSpec[];
}

export type FieldType = Scalar | Special | MessageType;

/**
 * - `list`: repeated field (a JSON array).
 * - `map`: map<string, type> (a JSON object); protobuf sends it as repeated {1 key, 2 value} entries.
 * - `ptr`: the Go field is a pointer: Go sends it only when set, so a zero scalar on the wire is kept
 *   (Go sends non-pointer scalars always, and the omitempty ones print nothing when zero).
 * - `keep`: the Go JSON tag has no omitempty, so a field missing from the body prints its zero value,
 *   or null for pointers, lists and maps. (Non-pointer structs print even with omitempty, and Go
 *   always sends them, so message fields need `keep` only to say what an absent one prints.)
 * - `inline`: an embedded Go struct (`json:",inline"`) whose fields JSON prints in the parent object.
 */
export type Flag = 'list' | 'map' | 'ptr' | 'keep' | 'inline';

export interface FieldSpec {
  readonly number: number;
  readonly name: string;
  readonly type: FieldType;
  readonly list: boolean;
  readonly map: boolean;
  readonly ptr: boolean;
  readonly keep: boolean;
  readonly inline: boolean;
}

/** `[number, jsonName, type, ...flags]`, one per field. */
export type FieldRow = readonly [number, string, FieldType, ...Flag[]];

/** A message table; rejects duplicate numbers or names, which would be typos in a table. */
export function message(name: string, rows: readonly FieldRow[]): MessageType {
  const numbers = new Set<number>();
  const names = new Set<string>();
  const fields = rows.map(([number, fieldName, type, ...flags]): FieldSpec => {
    if (numbers.has(number) || names.has(fieldName)) throw new Error(`protobuf table ${name}: duplicate field ${number} ${fieldName}`);
    numbers.add(number);
    names.add(fieldName);
    const f: FieldSpec = {
      number, name: fieldName, type,
      list: flags.includes('list'), map: flags.includes('map'), ptr: flags.includes('ptr'),
      keep: flags.includes('keep'), inline: flags.includes('inline'),
    };
    if (f.inline && typeof type === 'string') throw new Error(`protobuf table ${name}: inline field ${fieldName} must be a message`);
    return f;
  });
  return { name, fields };
}


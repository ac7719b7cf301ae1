import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { applyConfigurationErrors, checkJson, dropUnknown, duplicateFields, structOf, unknownFields } from './fieldvalidation.ts';
import { schemaModuleText } from './schema-gen.ts';
import { goJsonSyntaxError } from './gojson.ts';
import { parseYamlStrict } from './body.ts';

// The bodies of upstream's field validation integration test (test/integration/apiserver/field_validation_test.go).
const INVALID_BODY = `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"dupename","name":"x","labels":{"app":"nginx"},"unknownMeta":"metaVal"},
"spec":{"unknown1":"val1","unknownDupe":"valDupe","unknownDupe":"valDupe2","paused":true,"paused":false,"selector":{"matchLabels":{"app":"nginx"}},
"template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":[{"name":"nginx","image":"nginx:latest","unknownNested":"val1","imagePullPolicy":"Always","imagePullPolicy":"Never"}]}}}}`;

const DEPLOYMENT = structOf('apps', 'v1', 'Deployment')!;

test('schema.generated.ts is what schema-gen.ts makes from the installed kubernetes-types', () => {
  assert.equal(readFileSync(new URL('./schema.generated.ts', import.meta.url), 'utf8'), schemaModuleText());
});

test('a create body reports duplicate and unknown fields in document order, a repeated unknown field once', () => {
  assert.deepEqual(checkJson(INVALID_BODY, DEPLOYMENT).strict, [
    'duplicate field "metadata.name"',
    'unknown field "metadata.unknownMeta"',
    'unknown field "spec.unknown1"',
    'unknown field "spec.unknownDupe"',
    'duplicate field "spec.paused"',
    'unknown field "spec.template.spec.containers[0].unknownNested"',
    'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
  ]);
});

test('type errors name the Go struct, the field path without indexes, and the Go type', () => {
  assert.equal(checkJson('{"spec":{"replicas":"3"}}', DEPLOYMENT).typeError, 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
  assert.equal(checkJson('{"spec":{"template":{"spec":{"containers":[{"ports":[{"containerPort":"80"}]}]}}}}', DEPLOYMENT).typeError, 'json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32');
  assert.equal(checkJson('{"spec":{"replicas":1.5}}', DEPLOYMENT).typeError, 'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32');
  assert.equal(checkJson('{"spec":{"template":{"spec":{"containers":{}}}}}', DEPLOYMENT).typeError, 'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container');
  assert.equal(checkJson('{"metadata":{"labels":{"a":1}}}', DEPLOYMENT).typeError, 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels.a of type string');
  // Free-form values take anything; null is always fine.
  assert.deepEqual(checkJson('{"spec":{"replicas":null,"template":{"spec":{"containers":[{"ports":[{"containerPort":80}],"livenessProbe":{"httpGet":{"port":"http"}}}]}}}}', DEPLOYMENT), { strict: [] });
});

test('patch bodies: duplicates anywhere, without a schema', () => {
  assert.deepEqual(duplicateFields('{"spec":{"a":1,"a":2,"b":[{"x":1,"x":2}]}}'), ['duplicate field "spec.a"', 'duplicate field "spec.b[0].x"']);
  assert.deepEqual(duplicateFields('[{"op":"add","path":"/a","path":"/b"}]'), ['duplicate field "[0].path"']);
});

test('unknown fields of a decoded object are listed with keys sorted at each level, and dropped', () => {
  const obj = JSON.parse('{"spec":{"unknown1":"v","unknownDupe":"v2","paused":false,"template":{"spec":{"containers":[{"name":"n","unknownNested":"v"}]}}}}') as unknown;
  assert.deepEqual(unknownFields(obj, DEPLOYMENT), ['spec.template.spec.containers[0].unknownNested', 'spec.unknown1', 'spec.unknownDupe']);
  assert.deepEqual(dropUnknown(obj, DEPLOYMENT), { spec: { paused: false, template: { spec: { containers: [{ name: 'n' }] } } } });
});

test('server-side apply paths name associative list elements by their keys', () => {
  const cfg = { spec: { foo: 1, template: { spec: { containers: [{ name: 'web', bar: true, ports: [{ containerPort: 80, protocol: 'TCP', x: 1 }] }] } } } };
  assert.deepEqual(applyConfigurationErrors(cfg, DEPLOYMENT), [
    '.spec.foo: field not declared in schema',
    '.spec.template.spec.containers[name="web"].bar: field not declared in schema',
    '.spec.template.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].x: field not declared in schema',
  ]);
});

test('JSON syntax errors read as encoding/json writes them', () => {
  assert.equal(goJsonSyntaxError('{bad'), "invalid character 'b' looking for beginning of object key string");
  assert.equal(goJsonSyntaxError('{"a" 1}'), "invalid character '1' after object key");
  assert.equal(goJsonSyntaxError('{"a":1 "b":2}'), `invalid character '"' after object key:value pair`);
  assert.equal(goJsonSyntaxError('[1 2]'), "invalid character '2' after array element");
  assert.equal(goJsonSyntaxError('{"a":tru}'), "invalid character '}' in literal true (expecting 'e')");
  assert.equal(goJsonSyntaxError('{"a":1}x'), "invalid character 'x' after top-level value");
  assert.equal(goJsonSyntaxError('{"a":'), 'unexpected end of JSON input');
  assert.equal(goJsonSyntaxError('{"a":[1,{"b":null}]}'), undefined);
});

test('YAML bodies report repeated keys with their lines, as go-yaml does', () => {
  const y = parseYamlStrict('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n  name: b\nspec:\n  paused: true\n  paused: false\n');
  assert.deepEqual(y.duplicates, ['line 5: key "name" already set in map', 'line 8: key "paused" already set in map']);
  assert.deepEqual(y.value, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'b' }, spec: { paused: false } });
});

// One reading of Ajv's errors: the first problem with a value, named the way a reader of the input names it.
import { describe, expect, it } from '@jest/globals';
import type { ErrorObject } from 'ajv';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { configFileSchema } from '../../server/config.js';
import { TOKEN_REQUEST_SCHEMA } from '../../server/identity/tokens.js';
import { createAjv, firstProblem } from '../../server/jsonSchema.js';
import { FIXTURES_DIR } from '../../server/paths.js';

const validate = createAjv().compile({
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string' },
    kind: { enum: ['a', 'b', 3] },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    owner: { type: 'object', properties: { id1: { type: 'string' } } },
    rules: {
      type: 'array',
      items: { type: 'object', properties: { status: { type: 'integer', maximum: 599 }, code: { type: 'string' } }, dependencies: { code: ['status'] } },
    },
  },
});

function problemOf(value: unknown, where?: string, whole?: string) {
  expect(validate(value)).toBe(false);
  return firstProblem(validate.errors, where, whole);
}

const twelveRules = Array.from({ length: 12 }, () => ({ status: 500 }));

describe('firstProblem', () => {
  it.each([
    ['a missing property', {}, { field: '', property: '', sentence: 'the body.name is required.' }],
    ['an unknown property', { name: 'n', extra: 1 }, { field: '', property: '', unknownProperty: 'extra', sentence: "the body: unknown field 'extra'." }],
    ['a wrong type', { name: 7 }, { field: 'name', property: 'name', sentence: 'name must be string.' }],
    ['a value outside an enum', { name: 'n', kind: 'c' }, { field: 'kind', property: 'kind', sentence: 'kind must be one of a, b, 3.' }],
    ['a nested key ending in digits', { name: 'n', owner: { id1: 5 } }, { field: 'owner.id1', property: 'owner', sentence: 'owner.id1 must be string.' }],
    [
      'a map key starting with digits',
      { name: 'n', headers: { '2fa': 5 } },
      { field: 'headers.2fa', property: 'headers', sentence: 'headers.2fa must be string.' },
    ],
    [
      'an item past the tenth',
      { name: 'n', rules: [...twelveRules, { status: 600 }] },
      { field: 'rules[12].status', property: 'rules', sentence: 'rules[12].status must be <= 599.' },
    ],
    ['a property that needs another', { name: 'n', rules: [{ code: 'c' }] }, { field: 'rules[0]', property: 'rules', sentence: 'rules[0].code needs status.' }],
  ])('names %s', (_case, value, problem) => {
    expect(problemOf(value)).toEqual(problem);
  });

  it('prefixes the field with where, and names the whole value by where or whole', () => {
    expect(problemOf({ name: 'n', rules: [{ status: 600 }] }, 'faults.json')).toMatchObject({
      field: 'faults.json.rules[0].status',
      property: 'rules',
      sentence: 'faults.json.rules[0].status must be <= 599.',
    });
    expect(problemOf({}, 'rule').sentence).toBe('rule.name is required.');
    expect(problemOf([], '', 'the top level')).toEqual({ field: '', property: '', sentence: 'the top level must be object.' });
  });

  it.each([[undefined], [null], [[]]])('with errors %j says the value is not valid', (errors) => {
    expect(firstProblem(errors)).toEqual({ field: '', property: '', sentence: 'the body is not valid.' });
    expect(firstProblem(errors, 'rule')).toEqual({ field: '', property: '', sentence: 'rule is not valid.' });
    expect(firstProblem(errors, '', 'the top level').sentence).toBe('the top level is not valid.');
  });

  it('an error without a message is "not valid"', () => {
    const error: ErrorObject = { keyword: 'format', instancePath: '/name', schemaPath: '#/properties/name/format', params: {} };
    expect(firstProblem([error])).toEqual({ field: 'name', property: 'name', sentence: 'name is not valid.' });
  });
});

describe('createAjv', () => {
  const withMessage = {
    type: 'object',
    properties: { name: { type: 'string' } },
    required: ['name'],
    errorMessage: { required: { name: 'a rule needs its name' } },
  };

  it('is strict: a keyword it does not know is a bug in the schema, refused when the schema is compiled', () => {
    expect(() => createAjv().compile({ type: 'string', maxLenght: 3 })).toThrow('strict mode: unknown keyword: "maxLenght"');
  });

  it("compiles without checking a schema against JSON Schema's meta-schema, which each schema of the emulator is checked against here", () => {
    expect(() => createAjv({ validateSchema: true }).compile({ type: 'string', minLength: -1 })).toThrow('schema is invalid: data/minLength must be >= 0');
    expect(createAjv().compile({ type: 'string', minLength: -1 })('x')).toBe(true);
    const files = readdirSync(FIXTURES_DIR, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.schema.json'));
    // The resource schemas of both versions and the faults schema.
    expect(files.length).toBe(18);
    const schemas = [
      ...files.map((name) => JSON.parse(readFileSync(path.join(FIXTURES_DIR, name), 'utf8')) as object),
      configFileSchema(),
      TOKEN_REQUEST_SCHEMA,
    ];
    for (const schema of schemas) {
      const ajv = createAjv({ validateSchema: true, allErrors: true, strictRequired: false, errorMessages: true });
      expect([ajv.validateSchema(schema), ajv.errors ?? null]).toEqual([true, null]);
    }
  });

  it("takes ajv-errors' errorMessage keyword only when asked, and then words its errors with it", () => {
    expect(() => createAjv({ allErrors: true }).compile(withMessage)).toThrow('strict mode: unknown keyword: "errorMessage"');
    const validate = createAjv({ allErrors: true, errorMessages: true }).compile(withMessage);
    expect(validate({})).toBe(false);
    expect(validate.errors?.map((e) => [e.keyword, e.message])).toEqual([['errorMessage', 'a rule needs its name']]);
  });
});

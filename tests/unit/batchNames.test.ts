// batchNames: the property and header names of a $batch body's items, read from its text, and the batch reader's
// refusals of a repeat or an unknown name. How a refused batch answers over HTTP: tests/http/batch.test.ts.
import { describe, expect, it } from '@jest/globals';
import { batchNameError, itemNames } from '../../server/http/batchNames.js';

describe('batch names', () => {
  it('reads the names of each item and of its first headers object, not those of bodies or other members', () => {
    const text =
      '{"x":{"id":1},"requests":[{"id":"1","headers":{"A":"1","\\u0061":"2"},"body":{"id":2,"headers":{"b":1}},"headers":{"c":"3"}},' +
      '[{"id":"n"}],{"ID":"2","dependsOn":["1"]}],"other":[{"id":"x"}]}';
    expect(itemNames(text)).toEqual([
      { names: ['id', 'headers', 'body', 'headers'], headers: ['A', 'a'] },
      { names: ['ID', 'dependsOn'], headers: undefined },
    ]);
  });

  it.each([
    [
      '{"requests":[],"requests":[]}',
      "Multiple properties with the name 'requests' were detected in a resource or a complex value. In OData, duplicate property names are not allowed.",
    ],
    ['{"requests":[{"id":"1","Id":"2"}]}', "Duplicate property name 'ID' for request in batch."],
    ['{"requests":[{"headers":{},"headers":{}}]}', "Duplicate property name 'HEADERS' for request in batch."],
    ['{"requests":[{"id":"1","headers":{"A":"1","a":"2"},"foo":1}]}', "Duplicate header name 'a' for request in batch."],
    ['{"requests":[{"id":"1","foo":1,"id":"2"}]}', "Unknown property name 'FOO' for message in batch."],
  ])('refuses %s', (text, message) => {
    expect(batchNameError(text)).toMatchObject({ status: 400, code: 'BadRequest', message });
  });

  it.each([
    '{"requests":[{"id":"1","method":"GET","url":"/x","atomicityGroup":"g","status":1,"body":{"a":1,"a":2}}]}',
    '{"value":{"a":1,"a":2}}',
    '[{"requests":[{"foo":1}]}]',
  ])('reads %s without a refusal', (text) => {
    expect(batchNameError(text)).toBeUndefined();
  });
});

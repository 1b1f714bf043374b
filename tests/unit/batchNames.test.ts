// batchNames: the property and header names of a $batch body's items, read from its text, and the batch reader's
// refusals of a repeat or an unknown name. How a refused batch answers over HTTP: tests/http/batch.test.ts.
import { describe, expect, it } from '@jest/globals';
import { batchNameError, itemNames, upperName } from '../../server/http/batchNames.js';
import { jsonLimitPassed } from '../../server/http/jsonDepth.js';

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
    ['{"requests":[{"id":"1","HEADERS":{"x":"1","X":"2"}}]}', "Duplicate header name 'X' for request in batch."],
    ['{"requests":[{"id":"1"},{"id":"2","foo":1}]}', "Unknown property name 'FOO' for message in batch."],
    ['{"requests":[{"id":"1","foo":1,"id":"2"}]}', "Unknown property name 'FOO' for message in batch."],
    // An item's headers are read where the item names them: an item of headers alone repeats one, and an unknown
    // property written before the headers is the refusal the reader meets first.
    ['{"requests":[{"headers":{"A":"1","a":"2"}}]}', "Duplicate header name 'a' for request in batch."],
    ['{"requests":[{"id":"1","foo":1,"headers":{"A":"1","a":"2"}}]}', "Unknown property name 'FOO' for message in batch."],
  ])('refuses %s', (text, message) => {
    expect(batchNameError(text)).toMatchObject({ status: 400, code: 'BadRequest', message });
  });

  it.each([
    '{"requests":[{"id":"1","method":"GET","url":"/x","atomicityGroup":"g","status":1,"body":{"a":1,"a":2}}]}',
    '{"value":{"a":1,"a":2}}',
    '[{"requests":[{"foo":1}]}]',
    // A body's names, whatever their case, are no headers, before or after the item's headers.
    '{"requests":[{"id":"1","method":"POST","url":"/x","body":{"a":1,"A":2},"headers":{"Content-Type":"application/json"}}]}',
  ])('reads %s without a refusal', (text) => {
    expect(batchNameError(text)).toBeUndefined();
  });

  /** What jsonBody.ts hands the check: the text, its member names counted, the parsed body. */
  const withCounts = (text: string) => {
    const counted = { names: 0 };
    expect(jsonLimitPassed(text, 200, Number.POSITIVE_INFINITY, counted)).toBeUndefined();
    return batchNameError(text, counted.names, JSON.parse(text) as unknown);
  };

  it.each([
    '{"requests":[],"requests":[]}',
    '{"requests":[{"id":"1","Id":"2"}]}',
    '{"requests":[{"headers":{},"headers":{}}]}',
    '{"requests":[{"headers":{},"HEADERS":{}}]}',
    '{"requests":[{"id":"1","headers":{"A":"1","a":"2"},"foo":1}]}',
    '{"requests":[{"id":"1","headers":{"A":"1","a":"2"}}]}',
    '{"requests":[{"id":"1","method":"POST","url":"/x","body":{"a":1,"A":2},"headers":{"Content-Type":"application/json"}}]}',
    '{"requests":[{"id":"1","foo":1,"id":"2"}]}',
    '{"requests":[{"id":"1"},{"id":"2","foo":1}]}',
    '{"requests":[{"id":"1","5":1,"ID":"2"}]}',
    '{"requests":[{"id":"1","method":"GET","url":"/x","atomicityGroup":"g","status":1,"body":{"a":1,"a":2}}]}',
    '{"requests":[{"id":"1","headers":"x"},{"id":"2","headers":{"A":"1","b":"2"}}]}',
    '{"requests":[{"id":"1","Method":"GET","URL":"/x","DependsOn":[],"Body":null}]}',
    '{"value":{"a":1,"a":2}}',
    '[{"requests":[{"foo":1}]}]',
    '{"requests":[[{"foo":1}],"x",null]}',
    // An unknown name first in the only item; an item that is null, or whose headers are, ahead of a real one.
    '{"requests":[{"foo":1}]}',
    '{"requests":[null,{"id":"1"}]}',
    '{"requests":[{"id":"1","headers":null},{"id":"2","foo":1}]}',
  ])('answers %s from the parsed body as from the text alone', (text) => {
    expect(withCounts(text)).toEqual(batchNameError(text));
  });

  it('names the refusal the text meets first, where the parsed body orders its names otherwise', () => {
    // A parsed object lists integer-like names first: the reader meets the repeated ID before the unknown 5.
    expect(withCounts('{"requests":[{"id":"1","ID":"2","5":1}]}')).toMatchObject({ message: "Duplicate property name 'ID' for request in batch." });
  });

  it('reads a name spelled as the format spells it, and any other spelling, in upper case', () => {
    expect(['id', 'dependsOn', 'atomicityGroup', 'DependsOn', 'dEpEnDsOn', 'foo'].map(upperName)).toEqual([
      'ID',
      'DEPENDSON',
      'ATOMICITYGROUP',
      'DEPENDSON',
      'DEPENDSON',
      'FOO',
    ]);
  });
});

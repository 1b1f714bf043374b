// The bounds a fault rule's fields have in fixtures/faults.schema.json are the ones docs/security.md's limits table
// gives: a rule past one is a 400 the reader of that table should have been told about.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/childProcess.js';
import { section } from '../support/markdown.js';

interface Bounded {
  maxLength?: number;
  maxProperties?: number;
  maximum?: number;
  additionalProperties?: Bounded;
}

const schema = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/faults.schema.json'), 'utf8')) as {
  definitions: { rule: { properties: Record<string, Bounded> }; latency: Bounded & { properties: Record<string, Bounded> } };
};
const rule = schema.definitions.rule.properties;
const latency = schema.definitions.latency;

const row = section('docs/security.md', 'Bounded work per request')
  .split('\n')
  .find((line) => line.startsWith('| fault rules |'));

const n = (value: number | undefined) => (value as number).toLocaleString('en-US');

describe("docs/security.md's fault rules row", () => {
  it('gives the bounds of the fields as the schema has them', () => {
    const { min, max, median, sigma } = latency.properties;
    expect(new Set([latency.maximum, min!.maximum, max!.maximum, median!.maximum])).toEqual(new Set([latency.maximum]));
    for (const phrase of [
      `\`name\` and \`code\` up to ${n(rule.name!.maxLength)} characters`,
      `\`message\` up to ${n(rule.message!.maxLength)}`,
      `\`headers\` ${n(rule.headers!.maxProperties)} pairs of values up to ${n(rule.headers!.additionalProperties!.maxLength)} characters`,
      `\`tenant\` up to ${n(rule.tenant!.maxLength)}`,
      `a latency (fixed, \`min\`, \`max\`, \`median\`) up to ${n(latency.maximum)} ms`,
      `\`sigma\` up to ${n(sigma!.maximum)}`,
    ])
      expect(row).toContain(phrase);
    expect(rule.code!.maxLength).toBe(rule.name!.maxLength);
  });
});

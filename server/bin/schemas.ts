// `npm run schemas [-- --check]`: writes the resource JSON Schemas of fixtures/ from the CSDL excerpts and
// hints in fixtures/csdl/, so a metadata update is one command; --check only says whether they are current.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { allSchemaFiles } from '../metadata/jsonSchemas.js';
import { FIXTURES_DIR } from '../paths.js';

/** JSON as Biome formats it: a value on one line when it fits in 160 columns, else one member per line. */
function formatted(value: unknown, indent = ''): string {
  const flat = JSON.stringify(value)
    .replace(/([{,])"/g, '$1 "')
    .replace(/":/g, '": ')
    .replace(/}/g, ' }')
    .replace(/,\[/g, ', [')
    .replace(/\{ }/g, '{}');
  if (value === null || typeof value !== 'object' || indent.length + flat.length <= 150) return flat.replace(/,(?=[^ ])/g, ', ');
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => `${inner}${formatted(v, inner)}`).join(',\n')}\n${indent}]`;
  const members = Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatted(v, inner)}`);
  return `{\n${members.join(',\n')}\n${indent}}`;
}

const check = process.argv.includes('--check');
const stale: string[] = [];
for (const [relative, schema] of allSchemaFiles()) {
  const file = path.join(FIXTURES_DIR, relative);
  const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown) : undefined;
  if (isDeepStrictEqual(current, schema)) continue;
  stale.push(relative);
  if (!check) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${formatted(schema)}\n`);
  }
}
if (check && stale.length > 0) {
  process.stderr.write(`Out of date (run npm run schemas): ${stale.join(', ')}\n`);
  process.exit(1);
}
process.stdout.write(stale.length === 0 ? 'The schemas are current.\n' : `Wrote ${stale.join(', ')}\n`);

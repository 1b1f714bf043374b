// `npm run seed -- --count N --seed S [--catalogs M] [--reference-date D] [--out file]`: a generated tenant in
// the data file format, byte for byte what the emulator itself writes, for big-tenant and paging tests.
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultCatalogCount, generateDataset } from '../tenantData/generate.js';
import { REFERENCE_DATE_FORMS, parseReferenceDate } from '../tenantData/referenceDate.js';
import { DEFAULT_SEED } from '../tenantData/sets.js';
import { DurableJSONFile } from '../store/durableJsonFile.js';
import { usableDataFile } from '../store/dataFilePath.js';
import { dataFilePath } from '../settingValues.js';
import { checkDataset } from '../store/dataFileCheck.js';
import { DATA_FORMAT, FORMAT_KEY, datasetLines, parseDataset } from '../store/dataFileFormat.js';
import { openRegularFile } from '../regularFile.js';
import { retiredGenerations } from '../store/journalFiles.js';
import { acquireLock } from '../store/lock.js';
import { StoreError, UsageError, fileAccessError } from '../errors.js';
import type { Dataset } from '../store/records.js';
import { exitOnKnownError } from './exit.js';
import { writePieces } from './output.js';

const USAGE = `Usage: npm run seed -- --count N [--seed S] [--catalogs M] [--reference-date D] [--out file]

  --count N             access packages to generate (0 to 1000000; default 25)
  --seed S              same seed and reference date, same bytes (0 to ${2 ** 31 - 1}; default ${DEFAULT_SEED})
  --catalogs M          catalogs to spread them over, the built-in General one first and always there
                        (0 to 100000, 0 and 1 both General alone; default: about one per ten packages, at most 100)
  --reference-date D    the "now" the history is dated back from, e.g. 2026-11-01 (default: the time of generation)
  --out file            write the data file there (default: standard output)

Start the emulator on the file with DATA_FILE=file (or --data file).`;

function whole(raw: string | undefined, name: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > max) throw new UsageError(`${name} must be a whole number from 0 to ${max}; got '${raw}'.`);
  return value;
}

/** How every data file the emulator writes begins. */
const OWN_HEAD = `{\n"${FORMAT_KEY}": "${DATA_FORMAT}",\n`;

/**
 * Refuses to overwrite a file that is not an emulator data file, as the emulator refuses to use one as DATA_FILE: a
 * package.json or notes named by mistake are left as they are. A missing or empty file, or a data file, may go.
 */
async function checkReplaceable(out: string): Promise<void> {
  let head: Buffer;
  try {
    const handle = await openRegularFile(out);
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(OWN_HEAD.length), 0, OWN_HEAD.length, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  // The file a seed or an emulator wrote, however large, is known by its first line; any other is read whole.
  if (head.toString('utf8') === OWN_HEAD) return;
  const content = await new DurableJSONFile<Dataset>(out, datasetLines, parseDataset).readContent();
  const problem = content.found === 'json' ? checkDataset(content.value) : undefined;
  if (problem !== undefined)
    throw new StoreError('corrupt', `The data file ${out} is not an emulator data file: ${problem}. It was left untouched; choose another --out.`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string' },
      seed: { type: 'string' },
      catalogs: { type: 'string' },
      'reference-date': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const accessPackages = whole(values.count, '--count', 25, 1_000_000);
  const seed = whole(values.seed, '--seed', DEFAULT_SEED, 2 ** 31 - 1);
  const accessPackageCatalogs = whole(values.catalogs, '--catalogs', defaultCatalogCount(accessPackages), 100_000);
  const given = values['reference-date'];
  const referenceDate = given === undefined ? new Date().toISOString() : parseReferenceDate(given);
  if (referenceDate === undefined) throw new UsageError(`--reference-date must be ${REFERENCE_DATE_FORMS}; got '${given}'.`);
  // An empty path would name the working directory, refused as "a directory" though nothing was named.
  if (values.out === '') throw new UsageError(`--out must name a file; got ''.`);
  // As DATA_FILE is read: a path ending in / (or a . or .. segment) names a folder, and was written as a file of its name.
  if (values.out !== undefined) dataFilePath(values.out, '--out');
  const started = performance.now();
  const dataset = generateDataset({ seed, accessPackages, accessPackageCatalogs, referenceDate });
  if (values.out === undefined) {
    // A line at a time: as one string, a tenant of more than about 250,000 packages would not fit.
    await writePieces(process.stdout, datasetLines(dataset)).catch((err: unknown) => {
      throw fileAccessError(err, 'Cannot write the tenant to standard output') ?? err;
    });
    return;
  }
  // The emulator's own reading of DATA_FILE: through symbolic links to the file, whose real path names the lock.
  const out = (await usableDataFile(values.out, '--out')).path;
  // The emulator's own lock: overwriting the file of a running emulator would lose its data.
  const lock = await acquireLock(out);
  try {
    // A journal beside the file (current or retired by a compaction that did not finish) would be replayed
    // over the new data on the next start.
    const journal = `${out}.journal`;
    const retired = await retiredGenerations(journal);
    if ((existsSync(journal) && statSync(journal).size > 0) || retired.length > 0) {
      const name = retired.length > 0 ? `${journal}.${retired[0]}` : journal;
      throw new StoreError('locked', `${name} holds unsaved changes of an emulator data file; start and stop that emulator once, or choose another --out.`);
    }
    await checkReplaceable(out);
    // A disk that refuses the file (full) is one line and exit 3, as for standard output, not a stack trace.
    await new DurableJSONFile<Dataset>(out, datasetLines).write(dataset).catch((err: unknown) => {
      throw fileAccessError(err, `Cannot write the data file ${out}`) ?? err;
    });
  } finally {
    await lock.release();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  // The reference date is printed so that the same file can be generated again.
  process.stderr.write(
    // The catalogs the file holds: the built-in General one is always there, also for --catalogs 0.
    `Wrote ${counted(accessPackages, 'access package')} in ${counted(dataset.accessPackageCatalogs.length, 'catalog')} (seed ${seed}, reference date ${referenceDate}) to ${out} in ${seconds} s.\n`,
  );
}

/** `1 catalog`, `3 catalogs`. */
function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

await main().catch((err: unknown) => {
  // node:util's own argument errors are usage mistakes too.
  const known = (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true ? new UsageError((err as Error).message) : err;
  exitOnKnownError(known, USAGE);
});

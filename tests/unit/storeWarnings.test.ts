// The log's warnings for the store's files changed while the emulator ran (storeWarnings.ts): a stored dataset whose
// records are in no baseline in memory names the baselines that lost them and what each may do, as the process
// tests cannot make every case of (a dataset named by a journal line alone, a tenant's baseline, a changed one).
import { describe, expect, it } from '@jest/globals';
import type { Logger } from '../../server/logger.js';
import { storeWarnings } from '../../server/store/storeWarnings.js';
import { DEFAULT_TENANT_ID } from '../../server/tenantIds.js';

/** The warnings as the logger gets them: the fields and the message. */
function logged() {
  const warned: [unknown, string][] = [];
  const logger = { warn: (fields: unknown, msg: string) => warned.push([fields, msg]) } as unknown as Logger;
  return { warnings: storeWarnings(logger), warned };
}

const FILE = '/data/db.json.datasets/0123456789abcdef0123456789abcdef.json';

describe('a stored dataset lost while the emulator ran', () => {
  it('removed, named by no baseline: the data file is written again so that no journal line needs it', () => {
    const { warnings, warned } = logged();
    warnings.onDatasetLost!(FILE, [], undefined);
    expect(warned).toEqual([
      [
        { datasetFile: FILE, baselines: [] },
        `The stored dataset ${FILE} was removed by another program while the emulator ran, and its records are not in memory, so it could not be written again: no baseline names it, and the data file is written again from memory so that no journal line needs it (the next reset to those records writes the file anew).`,
      ],
    ]);
  });

  it("removed, named by baselines: each is named, a tenant's with its tenant, and the next start refuses the list", () => {
    const { warnings, warned } = logged();
    warnings.onDatasetLost!(
      FILE,
      [
        { tenant: DEFAULT_TENANT_ID, name: 'clean' },
        { tenant: 'contoso', name: 'seeded' },
      ],
      undefined,
    );
    expect(warned).toEqual([
      [
        { datasetFile: FILE, baselines: ['clean', 'seeded'] },
        `The stored dataset ${FILE} was removed by another program while the emulator ran, and its records are not in memory, so it could not be written again: the baselines 'clean', 'seeded' of tenant 'contoso' lost their records: each restore answers 500, and the next start refuses the list of baselines, until each is deleted (DELETE /_emulator/snapshots/{name}) or saved again (PUT).`,
      ],
    ]);
  });

  it('changed: the version found is named as kept, and no refusal of the list is foretold', () => {
    const { warnings, warned } = logged();
    const aside = `${FILE}.changed-20261207T071500Z`;
    warnings.onDatasetLost!(FILE, [{ tenant: DEFAULT_TENANT_ID, name: 'clean' }], aside);
    expect(warned).toEqual([
      [
        { datasetFile: FILE, keptAs: aside, baselines: ['clean'] },
        `The stored dataset ${FILE} was changed (that version is kept as ${aside}) by another program while the emulator ran, and its records are not in memory, so it could not be written again: the baselines 'clean' lost their records: each restore answers 500 until each is deleted (DELETE /_emulator/snapshots/{name}) or saved again (PUT).`,
      ],
    ]);
  });
});

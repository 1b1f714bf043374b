// The log's words for what happened to the store's files while the emulator ran, each a warning naming the files and
// saying what the emulator did and what the user may do: a file another program changed, kept aside; a stored dataset
// whose records are gone; the lock another process took.
import path from 'node:path';
import type { Logger } from '../logger.js';
import { DEFAULT_TENANT_ID } from '../tenantIds.js';
import type { FileStoreOptions } from './fileStoreOptions.js';

type Warnings = Pick<FileStoreOptions, 'onChangedElsewhere' | 'onDatasetLost' | 'onLockLost'>;

/** The callbacks of the file store's options that put its warnings in `logger`. */
export function storeWarnings(logger: Logger): Warnings {
  return {
    onChangedElsewhere(file, aside, kind) {
      if (kind === 'data file') {
        logger.warn(
          { dataFile: file, keptAs: aside },
          `The data file ${file} was changed by another program while the emulator ran: that version is kept as ${aside}, and the emulator's data was written in its place. Stop the emulator before editing the file, or load records with POST /_emulator/reset.`,
        );
      } else if (kind === 'baselines') {
        logger.warn(
          { baselinesFile: file, keptAs: aside },
          `The baselines' index ${file} was changed by another program while the emulator ran: that version is kept as ${aside}, and the emulator's list of baselines was written in its place. Stop the emulator before editing the file, or save baselines with PUT /_emulator/snapshots/{name}.`,
        );
      } else {
        logger.warn(
          { datasetFile: file, keptAs: aside },
          `The stored dataset ${file} was changed by another program while the emulator ran: that version is kept as ${aside}, and the records it was written with were written in its place. A stored dataset is written once and never changed; load records with POST /_emulator/reset.`,
        );
      }
    },
    onDatasetLost(file, baselines, aside) {
      const how = aside === undefined ? 'was removed' : `was changed (that version is kept as ${aside})`;
      const named = baselines.map(({ tenant, name }) => (tenant === DEFAULT_TENANT_ID ? `'${name}'` : `'${name}' of tenant '${tenant}'`)).join(', ');
      const outcome =
        baselines.length === 0
          ? 'no baseline names it, and the data file is written again from memory so that no journal line needs it (the next reset to those records writes the file anew).'
          : `the baselines ${named} lost their records: each restore answers 500${aside === undefined ? ', and the next start refuses the list of baselines,' : ''} until each is deleted (DELETE /_emulator/snapshots/{name}) or saved again (PUT).`;
      logger.warn(
        { datasetFile: file, ...(aside === undefined ? {} : { keptAs: aside }), baselines: baselines.map((b) => b.name) },
        `The stored dataset ${file} ${how} by another program while the emulator ran, and its records are not in memory, so it could not be written again: ${outcome}`,
      );
    },
    onLockLost(lockFile, why) {
      logger.warn(
        { lockFile },
        `${why} The lock is ${lockFile}: from now on every write answers 503 serviceNotAvailable, health says degraded, no snapshot of ${path.basename(lockFile, '.lock')} is written, and the stop exits 1.`,
      );
    },
  };
}

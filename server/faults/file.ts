// The faults file (FAULTS_FILE / --faults), read once at start. A file that cannot be read or does not
// follow fixtures/faults.schema.json stops the emulator with exit code 2, like any bad setting.
import { ConfigError, FaultRuleError } from '../errors.js';
import { readJsonFile } from '../jsonFile.js';
import { readRegularFileSync } from '../regularFile.js';
import { parseFaultSettings, type FaultSettings } from './ruleSchema.js';

export function loadFaultsFile(file: string): FaultSettings {
  // A name written twice in one object (two `rules`, a rule with two `status`) is refused, as the admin API and
  // X-Emulator-Fault refuse it: JSON.parse keeps the last one and would drop the others without a word.
  const json = readJsonFile(file, 'faults file', (message) => new ConfigError(message), readRegularFileSync, true);
  try {
    return parseFaultSettings(json, '', 'the top level');
  } catch (err) {
    if (err instanceof FaultRuleError) throw new ConfigError(`Faults file '${file}': ${err.message}`);
    throw err;
  }
}

// The faults file (FAULTS_FILE / --faults), read once at start. A file that cannot be read or does not
// follow fixtures/faults.schema.json stops the emulator with exit code 2, like any bad setting.
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config.js';
import { FaultRuleError, parseFaultSettings, type FaultSettings } from './ruleSchema.js';

export function loadFaultsFile(file: string): FaultSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read faults file '${file}': ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`Faults file '${file}' is not valid JSON: ${(err as Error).message}`);
  }
  try {
    return parseFaultSettings(json);
  } catch (err) {
    if (err instanceof FaultRuleError) throw new ConfigError(`Faults file '${file}': ${err.message}`);
    throw err;
  }
}

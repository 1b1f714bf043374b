// Reading a JSON file a user named (config file, faults file, fixtures file): one wording for the two ways it
// fails, raised as the caller's own error type so that each keeps its exit code.
import { readRegularFileSync } from './regularFile.js';

export function readJsonFile(file: string, label: string, fail: (message: string) => Error, readText: (file: string) => string = readRegularFileSync): unknown {
  let text: string;
  try {
    text = readText(file);
  } catch (err) {
    throw fail(`Cannot read the ${label} ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw fail(`The ${label} ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

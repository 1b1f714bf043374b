// `npm start --port 4100`, without the `--` that hands what follows to the script: npm reads `--port` as a config of
// its own, puts it in the script's environment as npm_config_port, and passes on only what it could not read. The
// emulator then refused `4100` as an unknown option, or, for `--log-level=debug` or `--https`, which npm keeps
// whole, started without the option asked for, saying nothing.
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { PACKAGE_ROOT } from '../paths.js';
import { SETTINGS } from '../settings.js';

/**
 * Refuses a start by this package's own `npm start` or `npm run dev` whose environment holds an npm config named as
 * one of the emulator's flags: no npm config has such a name, so npm took it from the command line. Another
 * package's script running the bin is left alone: its npm configs are its own business.
 */
export function refuseOptionsNpmTook(env: NodeJS.ProcessEnv): void {
  const script = env.npm_lifecycle_event;
  if ((script !== 'start' && script !== 'dev') || env.npm_package_json !== path.join(PACKAGE_ROOT, 'package.json')) return;
  for (const setting of SETTINGS) {
    if (env[`npm_config_${setting.flag.slice(2).replace(/-/g, '_')}`] === undefined) continue;
    const usage = `${setting.flag}${setting.boolean ? '' : ' <value>'}`;
    throw new ConfigError(
      `npm took ${setting.flag} as an option of its own and did not pass it on: put the emulator's options after --, as in npm ${script === 'start' ? 'start' : 'run dev'} -- ${usage}.`,
    );
  }
}

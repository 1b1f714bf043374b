// `npm start`: the built command line, dist/server/cli.js, in this process (the script `exec`s node, so signals
// reach the emulator). A build older than its sources is rebuilt first (freshBuild.js), saying so on stderr: a
// stale build never runs silently. `npm run dev` runs the sources.
import { pathToFileURL } from 'node:url';
import { CLI_ENTRY, freshBuildOrExit } from './freshBuild.js';

await freshBuildOrExit();
await import(pathToFileURL(CLI_ENTRY).href);

// `npm start`: the built command line in this process (the script `exec`s node, so signals reach the emulator).
// A build older than its sources is rebuilt first (freshBuild.cjs), saying so on stderr: a stale build never runs
// silently. `npm run dev` runs the sources. CommonJS from this file on: an ES module here would start Node's ES
// module loader, about 5 ms of a start of some 130 ms (bench/README.md, "Start-up through npm start").
const { CLI_START, freshBuildOrExit } = require('./freshBuild.cjs');

freshBuildOrExit().then(() => require(CLI_START));

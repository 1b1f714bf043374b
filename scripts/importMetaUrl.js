// Injected into the CommonJS bundles (scripts/build.js) in place of import.meta.url, which the ES module sources read
// to find the package's files: the URL of the bundle itself.
export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;

// The second file of asyncStorages.test.ts's jest: the same test, run after the first file in the same process.
import './asyncStorages.fixture.js';

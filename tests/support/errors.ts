// The GraphError a pure function throws, for table-driven tests of messages.
import { GraphError } from '../../server/graphErrors.js';

export function graphErrorOf(run: () => unknown): GraphError {
  try {
    run();
  } catch (err) {
    if (err instanceof GraphError) return err;
    throw err;
  }
  throw new Error('expected a GraphError');
}

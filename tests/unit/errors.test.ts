// One error model: every error class the emulator raises has its exit code, and one function maps each
// to Graph's envelope.
import { STATUS_CODES } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, EmulatorError, FaultRuleError, FixtureError, StoreError, UsageError, ValidationError } from '../../server/errors.js';
import { GraphError, templateForStatus, toGraphError } from '../../server/graphErrors.js';

describe('error classes', () => {
  it.each([
    [new ConfigError('c'), 2, 'ConfigError'],
    [new FaultRuleError('f'), 2, 'FaultRuleError'],
    [new UsageError('u'), 2, 'UsageError'],
    [new ValidationError('v'), 1, 'ValidationError'],
    [new FixtureError('x'), 1, 'FixtureError'],
    [new StoreError('locked', 's'), 1, 'StoreError'],
  ])('%s exits %i and names itself', (err, exitCode, name) => {
    expect(err).toBeInstanceOf(EmulatorError);
    expect(err.exitCode).toBe(exitCode);
    expect(err.name).toBe(name);
  });

  it('a StoreError keeps its kind', () => {
    expect(new StoreError('corrupt', 'm').kind).toBe('corrupt');
  });
});

describe('toGraphError', () => {
  it.each([
    [new ValidationError("Invalid value for property 'isHidden'"), 400, 'BadRequest'],
    [new FaultRuleError('rule.status must be >= 400.'), 400, 'BadRequest'],
    [new FixtureError('accessPackages[0]: must be a JSON object.'), 400, 'BadRequest'],
    [new ConfigError('port must be a whole number'), 400, 'BadRequest'],
    [new StoreError('conflict', "An accessPackage with id 'x' already exists."), 409, 'Conflict'],
  ])('maps %s to %i %s with its message', (err, status, code) => {
    const mapped = toGraphError(err);
    expect(mapped).toBeInstanceOf(GraphError);
    expect({ status: mapped.status, code: mapped.code, message: mapped.message }).toEqual({ status, code, message: err.message });
  });

  it('keeps a GraphError as it is', () => {
    const err = GraphError.of('notFound');
    expect(toGraphError(err)).toBe(err);
  });

  it("turns Express's own 4xx errors into Graph's error for their status, with their message", () => {
    const err = Object.assign(new Error('Failed to decode param'), { status: 400 });
    expect(toGraphError(err)).toMatchObject({ status: 400, code: 'BadRequest', message: 'Failed to decode param' });
  });

  it.each([
    [413, 'RequestEntityTooLarge'],
    [415, 'UnsupportedMediaType'],
    [416, 'invalidRange'],
    [412, 'PreconditionFailed'],
  ])("keeps a library's %i as Graph's %s, its message where it says more than the status text", (status, code) => {
    const own = toGraphError(Object.assign(new Error('The body is larger than it said.'), { status }));
    expect({ status: own.status, code: own.code, message: own.message }).toEqual({ status, code, message: 'The body is larger than it said.' });
    const bare = toGraphError(Object.assign(new Error(STATUS_CODES[status]), { status }));
    expect({ status: bare.status, code: bare.code, message: bare.message }).toEqual({ status, code, message: templateForStatus(status).message });
  });

  it("keeps the headers a library's 4xx names for itself (a 416's Content-Range), as its default handler sends them", () => {
    const err = Object.assign(new Error('Range Not Satisfiable'), { status: 416, headers: { 'Content-Range': 'bytes */224' } });
    expect(toGraphError(err).headers).toEqual({ 'Content-Range': 'bytes */224' });
  });

  it('a 4xx with no template of its own keeps its status', () => {
    expect(toGraphError(Object.assign(new Error('Length Required'), { status: 411 }))).toMatchObject({ status: 411, code: 'BadRequest' });
  });

  it('answers a write the disk refused with 503 serviceNotAvailable, its cause and Retry-After', () => {
    const mapped = toGraphError(new StoreError('io', 'Writing db.json.journal failed: ENOSPC: no space left on device, write'));
    expect({ status: mapped.status, code: mapped.code, message: mapped.message, headers: mapped.headers }).toEqual({
      status: 503,
      code: 'serviceNotAvailable',
      message: 'The emulator could not write its data, and nothing was changed. Writing db.json.journal failed: ENOSPC: no space left on device, write',
      headers: { 'Retry-After': '1' },
    });
  });

  it.each([
    ['EMFILE', 'too many open files in this process'],
    ['ENFILE', 'too many open files in the system'],
    ['ENOMEM', 'out of memory'],
  ])('answers a read the system refused for want of %s with 503 serviceNotAvailable and Retry-After: the request may be sent again', (code, why) => {
    const err = Object.assign(new Error(`${code}: open '/x/fixtures/csdl/beta.xml'`), { code });
    expect(toGraphError(err)).toMatchObject({
      status: 503,
      code: 'serviceNotAvailable',
      message: `The emulator ran short of system resources (${code}: ${why}); try again.`,
      headers: { 'Retry-After': '1' },
    });
  });

  it('answers a limit of what is kept with 507 quotaLimitReached and its message', () => {
    expect(toGraphError(new StoreError('quota', 'At most 20 baselines are kept.'))).toMatchObject({
      status: 507,
      code: 'quotaLimitReached',
      message: 'At most 20 baselines are kept.',
    });
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a thrown string', 'boom'],
    ['null', null],
    ['an error with a 5xx status', Object.assign(new Error('x'), { status: 502 })],
    ['an error with status 500', Object.assign(new Error('x'), { status: 500 })],
    ['an error with a 3xx status', Object.assign(new Error('x'), { status: 304 })],
    ['an error whose status is a string', Object.assign(new Error('x'), { status: '400' })],
  ])('hides %s behind 500 UnknownError', (_case, err) => {
    expect(toGraphError(err)).toMatchObject({ status: 500, code: 'UnknownError', message: 'An internal server error occurred.' });
  });
});

describe('templateForStatus', () => {
  it.each([
    [400, 'BadRequest', 'Bad request.'],
    [401, 'InvalidAuthenticationToken', 'Access token is empty.'],
    [429, 'TooManyRequests', 'Please retry again later.'],
    [501, 'NotImplemented', 'The requested feature is not implemented.'],
    [503, 'ServiceUnavailable', 'The service is temporarily unavailable. Please retry again later.'],
    [507, 'quotaLimitReached', 'The maximum storage quota has been reached.'],
  ])("%i is Graph's own template for that status", (status, code, message) => {
    expect(templateForStatus(status)).toEqual({ status, code, message });
  });

  it.each([
    [418, 'BadRequest'],
    [499, 'BadRequest'],
    [508, 'UnknownError'],
    [599, 'UnknownError'],
  ])('%i without a template of its own is %s, keeping its status', (status, code) => {
    expect(templateForStatus(status)).toEqual({ status, code, message: 'The request failed.' });
  });
});

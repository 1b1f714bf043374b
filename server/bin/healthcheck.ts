#!/usr/bin/env node
// Container healthcheck: asks the emulator's health endpoint on this machine, with the same settings
// (flags, environment, config file) as the server, and exits 0 when it answers 200. Node only, no curl.
import { request } from 'node:https';
import { get } from 'node:http';
import { loadConfig } from '../config.js';
import { listenerUrl } from '../listener.js';
import { HEALTH_PATH } from '../adminPath.js';

const TIMEOUT_MS = 3000;

function check(): Promise<boolean> {
  const { config } = loadConfig(process.argv.slice(2), process.env);
  const url = `${listenerUrl(config.https, config.host, config.port, '127.0.0.1')}${HEALTH_PATH}`;
  return new Promise((resolve) => {
    // A liveness probe of our own process: the certificate may be self-signed, its name is not the point.
    const req = config.https ? request(url, { rejectUnauthorized: false, timeout: TIMEOUT_MS }) : get(url, { timeout: TIMEOUT_MS });
    // Docker keeps what a probe prints as the container's health log: an unhealthy one says why in one line.
    const unhealthy = (why: string) => {
      process.stderr.write(`unhealthy: ${url} ${why}\n`);
      resolve(false);
    };
    req.on('response', (res) => {
      res.resume();
      if (res.statusCode === 200) resolve(true);
      else unhealthy(`answered ${res.statusCode}`);
    });
    req.on('timeout', () => req.destroy(new Error(`gave no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', (err: NodeJS.ErrnoException) => unhealthy(err.message === '' ? String(err.code) : err.message));
    req.end();
  });
}

/** Unhealthy (1: Docker keeps 2 for itself) with one line, never a stack trace, when the settings do not load. */
function checked(): Promise<boolean> {
  try {
    return check();
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return Promise.resolve(false);
  }
}

process.exit((await checked()) ? 0 : 1);

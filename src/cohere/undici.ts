// The parts of undici the extension runs, loaded one by one. The package root also loads fetch,
// WebSocket, EventSource, the HTTP cache and the mock agents: about a third of the extension's bundle
// that would never run. Types still come from the package root.
/* eslint-disable @typescript-eslint/no-require-imports */
import type * as undici from 'undici';

const DispatcherBase = require('undici/lib/dispatcher/dispatcher.js') as typeof undici.Dispatcher;
// The package root installs request(), stream() and pipeline() on every dispatcher this way; we need request().
Object.assign(DispatcherBase.prototype, require('undici/lib/api/index.js'));

export const Agent = require('undici/lib/dispatcher/agent.js') as typeof undici.Agent;
export const EnvHttpProxyAgent =
    require('undici/lib/dispatcher/env-http-proxy-agent.js') as typeof undici.EnvHttpProxyAgent;
export const Pool = require('undici/lib/dispatcher/pool.js') as typeof undici.Pool;
export type Agent = undici.Agent;

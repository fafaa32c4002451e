// A device: a WatermelonDB database (LokiJS adapter, in memory) and its synchronize()
// against the MainTrac API, exactly as a mobile app would configure it.
import { createRequire } from 'node:module'

import { modelClasses } from './models.mjs'
import { migrations, schema } from './schema.mjs'
import { uuidv7 } from './uuidv7.mjs'

const require = createRequire(import.meta.url)
const { Database } = require('@nozbe/watermelondb')
const LokiJSAdapter = require('@nozbe/watermelondb/adapters/lokijs').default
const { synchronize } = require('@nozbe/watermelondb/sync')
const { setGenerator } = require('@nozbe/watermelondb/utils/common/randomId')
const logger = require('@nozbe/watermelondb/utils/common/logger').default

// Records a device creates get UUIDv7 ids (the server refuses any other kind).
setGenerator(() => uuidv7())

/** Everything WatermelonDB logged as an error or warning (it logs, and does not throw, on
 * protocol violations such as a `created` record it already has). */
export const watermelonComplaints = []
for (const level of ['error', 'warn']) {
  const original = logger[level].bind(logger)
  logger[level] = (...messages) => {
    const text = messages.map((m) => (m instanceof Error ? m.message : String(m))).join(' ')
    watermelonComplaints.push(`${level}: ${text}`)
    if (process.env.WATERMELON_VERBOSE) original(...messages)
  }
}
if (!process.env.WATERMELON_VERBOSE) logger.log = () => {} // "[Loki] Initializing IndexedDB"...

export class ApiError extends Error {
  constructor(method, path, status, body) {
    super(`${method} ${path} -> ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`)
    this.status = status
    this.body = body
  }
}

/** Calls the API with a bearer token; returns the parsed JSON body, throws ApiError. */
export async function api(baseUrl, token, method, path, body, headers = {}) {
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json, application/problem+json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  let parsed = text
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {
    // not JSON: keep the text for the error message
  }
  if (!response.ok) throw new ApiError(method, path, response.status, parsed)
  return parsed
}

const count = (changes) =>
  Object.values(changes).reduce(
    (sum, t) => sum + t.created.length + t.updated.length + t.deleted.length,
    0,
  )

export function makeDevice({ name, baseUrl, token, deviceId = name }) {
  const adapter = new LokiJSAdapter({
    schema,
    migrations,
    dbName: `maintrac-${name}`,
    // Node has neither Web Workers nor IndexedDB: the driver runs in-process and LokiJS
    // falls back to its in-memory store. (`useIncrementalIndexedDB: false` is deprecated
    // in 0.28 and logs a warning; `true` is the supported value, whatever the platform.)
    useWebWorker: false,
    useIncrementalIndexedDB: true,
    extraLokiOptions: { autosave: false }, // nothing to save to, and its timer keeps Node alive
    onSetUpError: (error) => {
      throw error
    },
  })
  const database = new Database({ adapter, modelClasses })
  const history = []

  async function sync() {
    const entry = { pulled: null, pushed: null, pushReply: null }
    const log = {}
    await synchronize({
      database,
      log,
      sendCreatedAsUpdated: true,
      migrationsEnabledAtVersion: 1,
      pullChanges: async ({ lastPulledAt, schemaVersion, migration }) => {
        const body = await api(baseUrl, token, 'POST', '/v1/sync/pull', {
          lastPulledAt: lastPulledAt ?? null,
          schemaVersion,
          migration: migration ?? null,
        })
        entry.pulled = { lastPulledAt: lastPulledAt ?? null, count: count(body.changes), changes: body.changes }
        return { changes: body.changes, timestamp: body.timestamp }
      },
      pushChanges: async ({ changes, lastPulledAt }) => {
        entry.pushed = { lastPulledAt, count: count(changes), changes }
        const reply = await api(baseUrl, token, 'POST', '/v1/sync/push', {
          changes,
          lastPulledAt,
          deviceId,
        })
        entry.pushReply = reply
        return { experimentalRejectedIds: reply.experimentalRejectedIds }
      },
    })
    entry.log = log
    history.push(entry)
    return entry
  }

  /** The local raw record (without WatermelonDB's own _status/_changed), or null. */
  async function raw(table, id) {
    const found = await database.get(table).query().fetch()
    const record = found.find((r) => r.id === id)
    if (!record) return null
    const { _status, _changed, ...values } = record._raw
    return values
  }

  async function status(table, id) {
    const record = await database.get(table).find(id)
    return { _status: record._raw._status, _changed: record._raw._changed }
  }

  async function all(table) {
    return (await database.get(table).query().fetch()).map((r) => r.id)
  }

  return { name, deviceId, database, sync, raw, status, all, history }
}

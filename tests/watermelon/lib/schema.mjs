// The device's local schema: every synced table of the server (src/maintrac/core/sync.py
// TABLES) with the same snake_case columns. Ids are strings (UUIDv7), timestamps numbers
// (milliseconds since 1970, UTC), decimals numbers. A column the server may send as null
// is optional here; WatermelonDB requires created_at/updated_at to be non-optional numbers.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { appSchema, tableSchema } = require('@nozbe/watermelondb')
const { schemaMigrations } = require('@nozbe/watermelondb/Schema/migrations')

const s = (name) => ({ name, type: 'string' })
const sOpt = (name) => ({ name, type: 'string', isOptional: true })
const nOpt = (name) => ({ name, type: 'number', isOptional: true })
const bOpt = (name) => ({ name, type: 'boolean', isOptional: true })
const n = (name) => ({ name, type: 'number' })
const CREATED = n('created_at')
const UPDATED = n('updated_at')

/** Column lists by table, in the server's order (without `id`). */
export const TABLES = {
  work_orders: [
    nOpt('number'),
    s('title'),
    sOpt('description'),
    { name: 'status', type: 'string', isIndexed: true },
    s('priority'),
    sOpt('asset_id'),
    { name: 'assignee_id', type: 'string', isOptional: true, isIndexed: true },
    sOpt('task_code_id'),
    sOpt('gl_code_id'),
    sOpt('pm_plan_id'),
    nOpt('estimated_hours'),
    nOpt('actual_hours'),
    nOpt('due_at'),
    nOpt('completed_at'),
    CREATED,
    UPDATED,
  ],
  work_log_entries: [
    { name: 'work_order_id', type: 'string', isIndexed: true },
    s('kind'),
    sOpt('author_id'),
    nOpt('logged_at'),
    nOpt('minutes'),
    sOpt('material_name'),
    nOpt('quantity'),
    sOpt('unit'),
    nOpt('unit_cost'),
    sOpt('note'),
    sOpt('corrects_id'),
    CREATED,
  ],
  asset_readings: [
    { name: 'meter_id', type: 'string', isIndexed: true },
    n('value'),
    nOpt('taken_at'),
    sOpt('taken_by'),
    sOpt('work_order_id'),
    sOpt('note'),
    CREATED,
  ],
  assets: [
    sOpt('parent_id'),
    sOpt('category_id'),
    sOpt('name'),
    sOpt('code'),
    sOpt('description'),
    sOpt('location'),
    sOpt('serial_number'),
    sOpt('manufacturer'),
    sOpt('model'),
    sOpt('status'),
    CREATED,
    UPDATED,
  ],
  meters: [
    { name: 'asset_id', type: 'string', isOptional: true, isIndexed: true },
    sOpt('name'),
    sOpt('unit'),
    sOpt('kind'),
    nOpt('last_reading_value'),
    nOpt('last_reading_at'),
    CREATED,
    UPDATED,
  ],
  users: [sOpt('display_name'), sOpt('email'), sOpt('role'), bOpt('active'), CREATED, UPDATED],
  task_codes: [sOpt('code'), sOpt('name'), sOpt('description'), CREATED, UPDATED],
  asset_categories: [sOpt('code'), sOpt('name'), sOpt('description'), CREATED, UPDATED],
  gl_codes: [sOpt('code'), sOpt('name'), sOpt('description'), CREATED, UPDATED],
}

export const SCHEMA_VERSION = 1

export const schema = appSchema({
  version: SCHEMA_VERSION,
  tables: Object.entries(TABLES).map(([name, columns]) => tableSchema({ name, columns })),
})

// No migration yet: version 1 is where migration syncs start (migrationsEnabledAtVersion).
// A later version adds its steps here, and pulls then carry `migration` to the server.
export const migrations = schemaMigrations({ migrations: [] })

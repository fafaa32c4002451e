// Model classes without decorator syntax (Node runs this file as it is: no Babel, no
// TypeScript). WatermelonDB's decorators are plain functions
// `field(column)(prototype, key) -> property descriptor`, so each model property is
// defined with Object.defineProperty from the same `field`/`date` the `@field('x')`
// syntax would call. A model that has an `updatedAt` (`createdAt`) property gets
// `updated_at` (`created_at`) stamped with the device clock on every update (create).
import { createRequire } from 'node:module'

import { TABLES } from './schema.mjs'

const require = createRequire(import.meta.url)
const { Model } = require('@nozbe/watermelondb')
const { field, date } = require('@nozbe/watermelondb/decorators')

const camel = (column) => column.replace(/_([a-z])/g, (_, c) => c.toUpperCase())

function defineModel(table, className) {
  const M = { [className]: class extends Model {} }[className]
  M.table = table
  for (const { name } of TABLES[table]) {
    const key = camel(name)
    const decorator = name.endsWith('_at') ? date : field
    Object.defineProperty(M.prototype, key, decorator(name)(M.prototype, key))
  }
  return M
}

export const WorkOrder = defineModel('work_orders', 'WorkOrder')
WorkOrder.associations = {
  work_log_entries: { type: 'has_many', foreignKey: 'work_order_id' },
  asset_readings: { type: 'has_many', foreignKey: 'work_order_id' },
}
export const WorkLogEntry = defineModel('work_log_entries', 'WorkLogEntry')
WorkLogEntry.associations = { work_orders: { type: 'belongs_to', key: 'work_order_id' } }
export const AssetReading = defineModel('asset_readings', 'AssetReading')
AssetReading.associations = {
  meters: { type: 'belongs_to', key: 'meter_id' },
  work_orders: { type: 'belongs_to', key: 'work_order_id' },
}
export const Asset = defineModel('assets', 'Asset')
export const Meter = defineModel('meters', 'Meter')
export const User = defineModel('users', 'User')
export const TaskCode = defineModel('task_codes', 'TaskCode')
export const AssetCategory = defineModel('asset_categories', 'AssetCategory')
export const GlCode = defineModel('gl_codes', 'GlCode')

export const modelClasses = [
  WorkOrder,
  WorkLogEntry,
  AssetReading,
  Asset,
  Meter,
  User,
  TaskCode,
  AssetCategory,
  GlCode,
]

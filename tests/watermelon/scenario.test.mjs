// Offline sync with the real WatermelonDB synchronize() (LokiJS adapter) against the
// running MainTrac API. Devices edit while offline, a web user edits through the REST API,
// then the devices sync. The final state must follow the server's conflict policy
// (src/maintrac/core/sync.py), and every device must end with exactly the server's record.
//
// Run by tests/watermelon/test_watermelon_e2e.py, which seeds the tenant and passes:
//   MAINTRAC_URL           the API root (http://127.0.0.1:PORT)
//   MAINTRAC_TOKEN_A/_B    technician tokens of device A and device B (sync:use)
//   MAINTRAC_TOKEN_WEB     the web user's token (admin)
//   MAINTRAC_SCENARIO      JSON: workOrderId, meterId, userU (assignee), userV, userX
//   MAINTRAC_RESULT_FILE   optional: where to write the ids the first scenario created
// Set WATERMELON_VERBOSE=1 to see WatermelonDB's own logging.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'

import { api, makeDevice, watermelonComplaints } from './lib/device.mjs'
import { expectationTable, rawDiff, setAliases } from './lib/report.mjs'
import { UUIDV7 } from './lib/uuidv7.mjs'

const require = createRequire(import.meta.url)
const { hasUnsyncedChanges } = require('@nozbe/watermelondb/sync')

const env = (name) => {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set (run through tests/watermelon/test_watermelon_e2e.py)`)
  return value
}

const summary = (device, entry) =>
  `${device.name} synced: pulled ${entry.pulled.count} record(s) since ${entry.pulled.lastPulledAt}` +
  (entry.pushed ? `, pushed ${entry.pushed.count}; reply ${JSON.stringify(entry.pushReply)}` : ', nothing to push')

/** The server's raw records, as a first pull of the web user gets them. */
async function serverSnapshot(web) {
  const pulled = await web('POST', '/v1/sync/pull', { lastPulledAt: null, schemaVersion: 1, migration: null })
  return (table, id) =>
    [...pulled.changes[table].created, ...pulled.changes[table].updated].find((r) => r.id === id) ?? null
}

async function editWorkOrder(device, id, values) {
  await device.database.write(async () => {
    const record = await device.database.get('work_orders').find(id)
    await record.update((r) => Object.assign(r, values))
  })
  return (await device.raw('work_orders', id)).updated_at
}

/** Each device's copy of the record equals the server's, and nothing is left to push. */
async function convergence(devices, table, id, onServer) {
  const problems = []
  for (const device of devices) {
    const diff = rawDiff('server', onServer, `device ${device.name}`, await device.raw(table, id))
    if (diff) problems.push(`device ${device.name} did not converge on the server's ${table} ${id}:\n${diff}`)
    if (await hasUnsyncedChanges({ database: device.database })) {
      problems.push(`device ${device.name} still has unsynced changes`)
    }
  }
  return problems
}

const conflictLog = async (web, recordId) =>
  (await web('GET', `/v1/sync-conflicts?recordId=${recordId}&limit=100`)).data.map((c) => ({
    field: c.field,
    clientValue: c.clientValue,
    serverValue: c.serverValue,
    resolution: c.resolution,
    deviceId: c.deviceId,
  }))

/** Fails with every problem found (each once), or passes when there is none. */
function finish(problems) {
  const unique = [...new Set(problems)]
  if (unique.length) assert.fail(`${unique.length} problem(s):\n\n${unique.join('\n\n')}`)
}

function complaints() {
  const unique = [...new Set(watermelonComplaints)]
  watermelonComplaints.length = 0
  return unique.length ? [`WatermelonDB complained during sync (it logs, and does not throw, on protocol violations):\n${unique.join('\n')}`] : []
}

test('two devices and a web user edit one work order offline; everyone converges on the policy', async (t) => {
  const baseUrl = env('MAINTRAC_URL')
  const ids = JSON.parse(env('MAINTRAC_SCENARIO'))
  const W = ids.workOrderId
  const web = (method, path, body) => api(baseUrl, env('MAINTRAC_TOKEN_WEB'), method, path, body)
  const A = makeDevice({ name: 'A', baseUrl, token: env('MAINTRAC_TOKEN_A'), deviceId: 'e2e-device-A' })
  const B = makeDevice({ name: 'B', baseUrl, token: env('MAINTRAC_TOKEN_B'), deviceId: 'e2e-device-B' })
  const say = (message) => t.diagnostic(message)
  setAliases({ [ids.userU]: 'user U', [ids.userV]: 'user V', [ids.userX]: 'user X' })
  watermelonComplaints.length = 0

  // 1. First (full) sync of both devices: W arrives as the server has it.
  for (const device of [A, B]) {
    const entry = await device.sync()
    say(summary(device, entry))
    assert.equal(entry.pulled.lastPulledAt, null, 'a first sync pulls everything')
    const w = await device.raw('work_orders', W)
    assert.ok(w, `device ${device.name} did not receive work order ${W}`)
    const table = expectationTable(
      [
        ['status', 'in_progress'],
        ['assignee_id', ids.userU],
        ['description', 'Pump vibrates; check the coupling.'],
      ].map(([field, expected]) => ({ field, expected, parties: { [`device ${device.name}`]: w[field] } })),
    )
    assert.equal(table, '', `after the first sync:\n${table}`)
    assert.ok(await device.raw('meters', ids.meterId), `device ${device.name} has no meter ${ids.meterId}`)
  }

  // 2. Offline edits. A completes W and logs labour; B, later by its own clock, puts W on
  //    hold, reassigns it to X, rewrites the description, and records a meter reading.
  const aWrote = await editWorkOrder(A, W, { status: 'complete', description: "A's note" })
  const logEntryId = await A.database.write(async () => {
    const entry = await A.database.get('work_log_entries').create((e) => {
      Object.assign(e, { workOrderId: W, kind: 'labor', minutes: 45, note: 'Replaced the coupling insert.' })
      e.loggedAt = Date.now()
    })
    return entry.id
  })
  await sleep(25)
  const bWrote = await editWorkOrder(B, W, { status: 'on_hold', assigneeId: ids.userX, description: "B's note" })
  const readingId = await B.database.write(async () => {
    const reading = await B.database.get('asset_readings').create((r) => {
      Object.assign(r, { meterId: ids.meterId, value: 1234.5, workOrderId: W, note: 'Read at the pump.' })
      r.takenAt = Date.now()
    })
    return reading.id
  })
  assert.match(logEntryId, UUIDV7, 'device-made ids are UUIDv7')
  assert.match(readingId, UUIDV7, 'device-made ids are UUIDv7')
  assert.ok(bWrote > aWrote, `B's edit (updated_at ${bWrote}) must be later than A's (${aWrote})`)
  say(`offline edits: A wrote W at ${aWrote}, B at ${bWrote}`)

  // 3. Meanwhile the web user reassigns W to V (REST API).
  const patched = await web('PATCH', `/v1/work-orders/${W}`, { assigneeId: ids.userV })
  assert.equal(patched.assigneeId, ids.userV)
  say('web user reassigned W to V')

  // 4. A syncs, B syncs, A syncs again, B syncs again. B's push is partly overridden, and
  //    WatermelonDB then marks B's copy synced with B's own values: the server's values
  //    reach B in its next pull (the server sends overridden records again).
  const a1 = await A.sync()
  say(summary(A, a1))
  assert.deepEqual(a1.pushReply.experimentalRejectedIds, {}, 'nothing of A is rejected')
  assert.ok((a1.pushReply.accepted.work_orders ?? []).includes(W), `A's change to W is accepted: ${JSON.stringify(a1.pushReply)}`)
  const b1 = await B.sync()
  say(summary(B, b1))
  assert.deepEqual(b1.pushReply.experimentalRejectedIds, {}, 'no record of B is rejected whole')
  assert.ok((b1.pushReply.overridden.work_orders ?? []).includes(W), `B's change to W is partly overridden: ${JSON.stringify(b1.pushReply)}`)
  say(summary(A, await A.sync()))
  say(summary(B, await B.sync()))

  // 5-9 are checked together, so that a failure shows every deviation at once.
  const problems = []
  const check = (ok, message) => ok || problems.push(message)
  const serverRaw = await serverSnapshot(web)
  const rawServer = serverRaw('work_orders', W)

  // 5. The policy, on the server and on both devices.
  const [rawA, rawB] = [await A.raw('work_orders', W), await B.raw('work_orders', W)]
  const policy = expectationTable(
    [
      // Server wins on status: A's in_progress -> complete is a valid transition and is
      // pushed first; B's on_hold is then refused, complete being terminal.
      ['status', 'complete'],
      // Server wins on assignment: the web user's V stands against B's X.
      ['assignee_id', ids.userV],
      // Last write wins on the description: B wrote after A (devices' updated_at), so B's
      // stands although A pushed it first and B's push is judged after A's change. (The
      // server must compare A's and B's write times here, not A's push time: B wrote
      // before A pushed. The second test checks the reverse order.)
      ['description', "B's note"],
    ].map(([field, expected]) => ({
      field,
      expected,
      parties: {
        server: rawServer?.[field],
        'device A': rawA?.[field],
        'device B': rawB?.[field],
      },
    })),
  )
  check(policy === '', `work order W does not follow the conflict policy:\n${policy}`)
  check(rawServer?.completed_at, `completing W did not set completed_at: ${JSON.stringify(rawServer)}`)

  // 6. Convergence: each device's copy of W is exactly the server's raw record.
  problems.push(...(await convergence([A, B], 'work_orders', W, rawServer)))

  // 7. A's log entry and B's reading reached the server and the other device, identical.
  for (const [table, id, field, value] of [
    ['work_log_entries', logEntryId, 'minutes', 45],
    ['asset_readings', readingId, 'value', 1234.5],
  ]) {
    const onServer = serverRaw(table, id)
    check(onServer?.[field] === value, `${table} ${id} on the server: ${JSON.stringify(onServer)}`)
    problems.push(...(await convergence([A, B], table, id, onServer)))
  }

  // 8. The conflict log has B's refused status and overridden assignment.
  const logged = await conflictLog(web, W)
  say(`conflicts logged on W: ${JSON.stringify(logged)}`)
  for (const wanted of [
    { field: 'status', clientValue: 'on_hold', serverValue: 'complete', resolution: 'rejected_terminal_status', deviceId: 'e2e-device-B' },
    { field: 'assignee_id', clientValue: ids.userX, serverValue: ids.userV, resolution: 'server_wins', deviceId: 'e2e-device-B' },
  ]) {
    check(
      logged.some((c) => JSON.stringify(c) === JSON.stringify(wanted)),
      `the conflict log lacks ${JSON.stringify(wanted)}; it has:\n${JSON.stringify(logged, null, 2)}`,
    )
  }

  // 9. The server spoke the protocol as WatermelonDB expects.
  problems.push(...complaints())

  const resultFile = process.env.MAINTRAC_RESULT_FILE
  if (resultFile) writeFileSync(resultFile, JSON.stringify({ logEntryId, readingId, conflicts: logged }, null, 2))
  finish(problems)
})

test('last write wins on a description follows when the devices wrote, not who pushed last', async (t) => {
  const baseUrl = env('MAINTRAC_URL')
  const ids = JSON.parse(env('MAINTRAC_SCENARIO'))
  const web = (method, path, body) => api(baseUrl, env('MAINTRAC_TOKEN_WEB'), method, path, body)
  const say = (message) => t.diagnostic(message)
  watermelonComplaints.length = 0
  const created = await web('POST', '/v1/work-orders', {
    title: 'Grease conveyor bearings',
    description: 'Weekly.',
    assigneeId: ids.userU,
  })
  const W2 = created.id
  const C = makeDevice({ name: 'C', baseUrl, token: env('MAINTRAC_TOKEN_A'), deviceId: 'e2e-device-C' })
  const D = makeDevice({ name: 'D', baseUrl, token: env('MAINTRAC_TOKEN_B'), deviceId: 'e2e-device-D' })
  for (const device of [C, D]) say(summary(device, await device.sync()))

  // D writes first, C later; then C pushes first and D pushes last.
  const dWrote = await editWorkOrder(D, W2, { description: "D's earlier note" })
  await sleep(25)
  const cWrote = await editWorkOrder(C, W2, { description: "C's later note" })
  say(`offline edits: D wrote at ${dWrote}, C at ${cWrote}`)
  for (const device of [C, D, C, D]) say(summary(device, await device.sync()))

  const problems = []
  const rawServer = (await serverSnapshot(web))('work_orders', W2)
  const policy = expectationTable([
    {
      field: 'description',
      expected: "C's later note",
      parties: {
        server: rawServer?.description,
        'device C': (await C.raw('work_orders', W2))?.description,
        'device D': (await D.raw('work_orders', W2))?.description,
      },
    },
  ])
  if (policy) problems.push(`the later write (C's) must win, whoever pushes last:\n${policy}`)
  problems.push(...(await convergence([C, D], 'work_orders', W2, rawServer)))
  const logged = await conflictLog(web, W2)
  say(`conflicts logged on W2: ${JSON.stringify(logged)}`)
  const wanted = {
    field: 'description',
    clientValue: "D's earlier note",
    serverValue: "C's later note",
    resolution: 'server_wins_last_write',
    deviceId: 'e2e-device-D',
  }
  if (!logged.some((c) => JSON.stringify(c) === JSON.stringify(wanted))) {
    problems.push(`the conflict log lacks ${JSON.stringify(wanted)}; it has:\n${JSON.stringify(logged, null, 2)}`)
  }
  problems.push(...complaints())
  finish(problems)
})

test('a work order made offline, an edited log entry and a deletion reach everyone', async (t) => {
  const baseUrl = env('MAINTRAC_URL')
  const ids = JSON.parse(env('MAINTRAC_SCENARIO'))
  const web = (method, path, body) => api(baseUrl, env('MAINTRAC_TOKEN_WEB'), method, path, body)
  const say = (message) => t.diagnostic(message)
  watermelonComplaints.length = 0
  const W3 = (await web('POST', '/v1/work-orders', { title: 'Replace filter F-2', assigneeId: ids.userU })).id
  const E = makeDevice({ name: 'E', baseUrl, token: env('MAINTRAC_TOKEN_A'), deviceId: 'e2e-device-E' })
  const F = makeDevice({ name: 'F', baseUrl, token: env('MAINTRAC_TOKEN_B'), deviceId: 'e2e-device-F' })
  for (const device of [E, F]) say(summary(device, await device.sync()))

  // E makes a work order N and logs 30 minutes on W3, offline; both sync.
  const [N, L] = await E.database.write(async () => {
    const made = await E.database.get('work_orders').create((w) =>
      Object.assign(w, { title: 'Leak under P-7', status: 'in_progress', priority: 'high', assigneeId: ids.userU }),
    )
    const entry = await E.database.get('work_log_entries').create((e) =>
      Object.assign(e, { workOrderId: W3, kind: 'labor', minutes: 30, note: 'Swapped the filter.' }),
    )
    return [made.id, entry.id]
  })
  const e1 = await E.sync()
  say(summary(E, e1))
  assert.deepEqual(e1.pushReply.accepted, { work_orders: [N], work_log_entries: [L] })
  say(summary(F, await F.sync()))
  assert.ok(await F.raw('work_orders', N), 'F received the work order E made')

  // F corrects the log entry (append-only: the server keeps it and appends a correcting
  // entry) and deletes N, offline; F, E, F sync.
  await F.database.write(async () => {
    const entry = await F.database.get('work_log_entries').find(L)
    await entry.update((e) => Object.assign(e, { minutes: 40, note: 'It took 40 minutes.' }))
    await (await F.database.get('work_orders').find(N)).markAsDeleted()
  })
  const f1 = await F.sync()
  say(summary(F, f1))
  assert.deepEqual(f1.pushReply.overridden, { work_log_entries: [L] }, 'the edit of an append-only entry is overridden')
  for (const device of [E, F]) say(summary(device, await device.sync()))

  const problems = []
  const serverRaw = await serverSnapshot(web)
  const entries = (await web('GET', `/v1/work-orders/${W3}/log-entries`)).data
  const correction = entries.find((e) => e.correctsEntryId === L)
  const shape = entries.map((e) => ({ minutes: e.minutes, corrects: e.correctsEntryId === L ? 'L' : e.correctsEntryId }))
  if (entries.length !== 2 || !correction || correction.minutes !== 40 || entries.find((e) => e.id === L)?.minutes !== 30) {
    problems.push(`W3 should have L (30 min) and an entry correcting it (40 min); it has ${JSON.stringify(shape)}`)
  }
  for (const id of [L, correction?.id].filter(Boolean)) {
    problems.push(...(await convergence([E, F], 'work_log_entries', id, serverRaw('work_log_entries', id))))
  }
  let deleted = false
  try {
    await web('GET', `/v1/work-orders/${N}`)
  } catch (error) {
    deleted = error.status === 404
  }
  if (!deleted) problems.push(`work order ${N} should be deleted on the server`)
  for (const device of [E, F]) {
    if (await device.raw('work_orders', N)) problems.push(`device ${device.name} still has the deleted work order ${N}`)
  }
  problems.push(...complaints())
  finish(problems)
})

test('changes the server refuses (a read-only meter renamed, an append-only entry deleted) are undone on the device', async (t) => {
  const baseUrl = env('MAINTRAC_URL')
  const ids = JSON.parse(env('MAINTRAC_SCENARIO'))
  const web = (method, path, body) => api(baseUrl, env('MAINTRAC_TOKEN_WEB'), method, path, body)
  const say = (message) => t.diagnostic(message)
  watermelonComplaints.length = 0
  const W4 = (await web('POST', '/v1/work-orders', { title: 'Check belt tension', assigneeId: ids.userU })).id
  const entry = await web('POST', `/v1/work-orders/${W4}/log-entries`, { kind: 'labor', minutes: 10 })
  const G = makeDevice({ name: 'G', baseUrl, token: env('MAINTRAC_TOKEN_A'), deviceId: 'e2e-device-G' })
  say(summary(G, await G.sync()))

  await G.database.write(async () => {
    const meter = await G.database.get('meters').find(ids.meterId)
    await meter.update((m) => Object.assign(m, { name: 'Renamed on the device' }))
    await (await G.database.get('work_log_entries').find(entry.id)).markAsDeleted()
  })
  // The push is refused record by record; the device must then hold the server's records
  // again (at the latest after one more sync), with nothing left to push.
  const g1 = await G.sync()
  say(summary(G, g1))
  say(summary(G, await G.sync()))

  const problems = []
  const serverRaw = await serverSnapshot(web)
  problems.push(...(await convergence([G], 'meters', ids.meterId, serverRaw('meters', ids.meterId))))
  problems.push(...(await convergence([G], 'work_log_entries', entry.id, serverRaw('work_log_entries', entry.id))))
  if (problems.length) {
    problems.push(
      `the first push's reply was ${JSON.stringify(g1.pushReply)}: records in experimentalRejectedIds stay ` +
        'changed on the device (WatermelonDB pushes them again at every sync, and its conflict ' +
        "resolution keeps the device's values over the server's resent record)",
    )
  }
  const logged = (await web('GET', '/v1/sync-conflicts?limit=100')).data.filter((c) => c.deviceId === 'e2e-device-G')
  const resolutions = logged.map((c) => `${c.table}:${c.resolution}`).sort()
  if (JSON.stringify(resolutions) !== JSON.stringify(['meters:rejected_read_only', 'work_log_entries:rejected_append_only'])) {
    problems.push(`conflicts logged for device G: ${JSON.stringify(resolutions)}`)
  }
  problems.push(...complaints())
  finish(problems)
})

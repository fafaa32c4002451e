// Failure output a person can read: a table of expected and actual values per party, and
// field-by-field differences between raw records.

let aliases = {}

/** Names to print beside ids, e.g. { '0193...': 'user V' }. */
export function setAliases(map) {
  aliases = map
}

const show = (value) => {
  if (value === undefined) return '(missing)'
  const alias = typeof value === 'string' && aliases[value]
  return alias ? `${alias} (${value})` : JSON.stringify(value)
}

/**
 * rows: [{ field, expected, parties: { server: v, 'device A': v, ... } }]
 * Returns '' when every party has every expected value, else a table marking the misses.
 */
export function expectationTable(rows) {
  const parties = Object.keys(rows[0]?.parties ?? {})
  const header = ['field', 'expected', ...parties]
  const body = rows.map(({ field, expected, parties: values }) => {
    const cells = parties.map((p) =>
      JSON.stringify(values[p]) === JSON.stringify(expected) ? show(values[p]) : `${show(values[p])} <-- WRONG`,
    )
    return [field, show(expected), ...cells]
  })
  const bad = body.some((cells) => cells.some((c) => c.endsWith('<-- WRONG')))
  if (!bad) return ''
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((r) => r[i].length)))
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...body.map(line)].join('\n')
}

/** Field-by-field differences between two raw records ('' when equal). */
export function rawDiff(leftName, left, rightName, right) {
  if (left === null || right === null) {
    return `${leftName}: ${left === null ? 'missing' : 'present'}, ${rightName}: ${right === null ? 'missing' : 'present'}`
  }
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()
  const lines = keys
    .filter((k) => JSON.stringify(left[k]) !== JSON.stringify(right[k]))
    .map((k) => `  ${k}: ${leftName}=${show(left[k])}  ${rightName}=${show(right[k])}`)
  return lines.length ? `${leftName} vs ${rightName}:\n${lines.join('\n')}` : ''
}

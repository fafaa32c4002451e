// UUIDv7 (RFC 9562): 48-bit Unix milliseconds, version 7, 74 random bits. The server
// refuses device-made ids that are not version 7 (experimentalRejectedIds).
import { randomFillSync } from 'node:crypto'

let lastMs = 0
let sequence = 0

/** A UUIDv7 string; ids made in the same millisecond still sort in creation order. */
export function uuidv7(now = Date.now()) {
  const bytes = randomFillSync(new Uint8Array(16))
  if (now <= lastMs) {
    now = lastMs
    sequence = (sequence + 1) & 0xfff
    if (sequence === 0) now = lastMs = lastMs + 1
  } else {
    lastMs = now
    sequence = bytes[6] & 0x07 // a random start, well below the 12-bit limit
  }
  const ms = BigInt(now)
  for (let i = 0; i < 6; i += 1) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn)
  bytes[6] = 0x70 | (sequence >> 8) // version 7, then the 12-bit counter (rand_a)
  bytes[7] = sequence & 0xff
  bytes[8] = 0x80 | (bytes[8] & 0x3f) // variant 10
  const hex = Buffer.from(bytes).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

import type { Clock } from './ports/clock.js'
import type { IdGenerator } from './ports/id-generator.js'

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

/**
 * UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then a 12-bit counter (method 1 of section 6.2) and
 * random bits. Ids from one generator strictly increase, also within one millisecond and when the
 * clock steps back, so ordering by id is ordering by creation.
 */
export function createUuidV7Generator(clock: Clock = systemClock): IdGenerator {
  let lastMs = -1
  let counter = 0
  const bytes = new Uint8Array(16)
  return {
    next() {
      let ms = clock.now().getTime()
      if (ms <= lastMs) {
        counter += 1
        if (counter > 0xfff) {
          lastMs += 1
          counter = 0
        }
        ms = lastMs
      } else {
        lastMs = ms
        counter = 0
      }
      crypto.getRandomValues(bytes)
      bytes[0] = Math.floor(ms / 2 ** 40) & 0xff
      bytes[1] = Math.floor(ms / 2 ** 32) & 0xff
      bytes[2] = (ms >>> 24) & 0xff
      bytes[3] = (ms >>> 16) & 0xff
      bytes[4] = (ms >>> 8) & 0xff
      bytes[5] = ms & 0xff
      bytes[6] = 0x70 | ((counter >>> 8) & 0x0f)
      bytes[7] = counter & 0xff
      bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f)
      let text = ''
      for (let index = 0; index < 16; index += 1) {
        if (index === 4 || index === 6 || index === 8 || index === 10) text += '-'
        text += HEX[bytes[index] ?? 0]
      }
      return text
    },
  }
}

/** The wall clock. */
export const systemClock: Clock = Object.freeze({ now: () => new Date() })

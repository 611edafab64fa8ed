import type { BuiltinTool } from '@agentry/contracts'
import { type Clock, CoreError } from '@agentry/contracts'

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name })
    return true
  } catch {
    return false
  }
}

function part(parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes): string {
  return parts.find((entry) => entry.type === type)?.value ?? ''
}

/**
 * `time.now`: the current time in an IANA time zone (default UTC) as ISO 8601 with the zone's
 * offset, plus the pieces a model tends to need (weekday, date, time, offset).
 */
export function createTimeNowTool(clock: Clock): BuiltinTool {
  return {
    name: 'time.now',
    description:
      'The current date and time. Pass an IANA time zone such as "Europe/Paris" or "America/New_York" (default UTC).',
    inputSchema: {
      type: 'object',
      properties: {
        timeZone: {
          type: 'string',
          minLength: 1,
          maxLength: 64,
          description: 'IANA time zone name, e.g. Europe/Berlin',
        },
      },
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        iso: { type: 'string' },
        timeZone: { type: 'string' },
        date: { type: 'string' },
        time: { type: 'string' },
        weekday: { type: 'string' },
        utcOffset: { type: 'string' },
      },
      required: ['iso', 'timeZone', 'date', 'time', 'weekday', 'utcOffset'],
    },
    async execute(input) {
      const timeZone = (input as { timeZone?: string }).timeZone ?? 'UTC'
      if (!isTimeZone(timeZone)) {
        throw new CoreError(
          'INVALID_INPUT',
          `"${timeZone}" is not an IANA time zone: use a name such as Europe/Paris, Asia/Tokyo or UTC.`,
        )
      }
      const now = clock.now()
      const parts = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        weekday: 'long',
        timeZoneName: 'longOffset',
      }).formatToParts(now)
      const date = `${part(parts, 'year')}-${part(parts, 'month')}-${part(parts, 'day')}`
      const time = `${part(parts, 'hour')}:${part(parts, 'minute')}:${part(parts, 'second')}`
      const zoneName = part(parts, 'timeZoneName')
      const utcOffset = zoneName === 'GMT' ? '+00:00' : zoneName.replace('GMT', '')
      return {
        iso: `${date}T${time}${utcOffset === '+00:00' && timeZone === 'UTC' ? 'Z' : utcOffset}`,
        timeZone,
        date,
        time,
        weekday: part(parts, 'weekday'),
        utcOffset,
      }
    },
  }
}

import { describe, expect, it } from 'vitest'
import { createTelemetry } from './create-telemetry.js'

function capture(redactPaths: string[] = []) {
  const lines: Record<string, unknown>[] = []
  const raw: string[] = []
  const adapters = createTelemetry(
    { logLevel: 'debug', serviceName: 'test', redactPaths, processMetrics: false },
    {
      logDestination: {
        write: (line: string) => {
          raw.push(line)
          lines.push(JSON.parse(line) as Record<string, unknown>)
        },
      },
    },
  )
  return { adapters, lines, raw }
}

describe('pino logger', () => {
  it('writes JSON lines with the message, the fields and the service', () => {
    const { adapters, lines } = capture()
    adapters.telemetry.logger.info('tool call', { tool: 'math.evaluate', latencyMs: 3 })
    expect(lines[0]).toMatchObject({ msg: 'tool call', tool: 'math.evaluate', latencyMs: 3, service: 'test' })
    expect(lines[0]?.level).toBe(30)
  })

  it('redacts secret fields at the top level and two levels down, and configured paths', () => {
    const { adapters, lines, raw } = capture(['payload.cardNumber'])
    adapters.telemetry.logger.warn('request failed', {
      password: 'hunter2-top',
      request: { headers: { authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': 'k-123456' } },
      body: { apiKey: 'key-nested', user: { password: 'deep-secret' } },
      payload: { cardNumber: '4111111111111111', amount: 12 },
    })
    const line = lines[0] as unknown as {
      password: string
      request: { headers: Record<string, string> }
      body: { apiKey: string; user: { password: string } }
      payload: unknown
    }
    expect(line.password).toBe('[REDACTED]')
    expect(line.request.headers.authorization).toBe('[REDACTED]')
    expect(line.request.headers['x-api-key']).toBe('[REDACTED]')
    expect(line.body.apiKey).toBe('[REDACTED]')
    expect(line.body.user.password).toBe('[REDACTED]')
    expect(line.payload).toEqual({ cardNumber: '[REDACTED]', amount: 12 })
    for (const secret of [
      'hunter2-top',
      'dXNlcjpwYXNz',
      'k-123456',
      'key-nested',
      'deep-secret',
      '4111111111111111',
    ]) {
      expect(raw[0]).not.toContain(secret)
    }
  })

  it('scrubs secret-shaped values anywhere in the line, keeping the public key prefix', () => {
    const { adapters, raw, lines } = capture()
    const apiKey = 'agt_0123456789ab_Zm9vYmFyYmF6cXV4LXNlY3JldC12YWx1ZQ'
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLXZhbHVl'
    adapters.telemetry.logger.error(`auth failed for ${apiKey}`, {
      detail: `header was Bearer ${jwt}`,
      url: 'postgres://agentry:s3cr3t-pass@db.internal:5432/agentry',
      error: new Error(`provider said sk-abcdefghijklmnopqrstuv is invalid`).message,
    })
    for (const secret of [
      'Zm9vYmFyYmF6cXV4LXNlY3JldC12YWx1ZQ',
      jwt,
      's3cr3t-pass',
      'sk-abcdefghijklmnopqrstuv',
    ]) {
      expect(raw[0]).not.toContain(secret)
    }
    expect(lines[0]?.msg).toBe('auth failed for agt_0123456789ab_[REDACTED]')
    expect(lines[0]?.url).toBe('postgres://agentry:[REDACTED]@db.internal:5432/agentry')
  })

  it('adds the log context of the work in progress to every line, also across awaits and in children', async () => {
    const { adapters, lines } = capture()
    const { logContext, telemetry } = adapters
    const child = telemetry.logger.child({ turnId: 't-1' })
    await logContext.run({ requestId: 'req-1' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1))
      logContext.assign({ companyId: 'c-1' })
      child.info('inside')
    })
    telemetry.logger.info('outside')
    expect(lines[0]).toMatchObject({ msg: 'inside', requestId: 'req-1', companyId: 'c-1', turnId: 't-1' })
    expect(lines[1]).not.toHaveProperty('requestId')
  })

  it('does not repeat a context field the logger already binds', () => {
    const { adapters, raw } = capture()
    const requestLogger = adapters.pino.child({ requestId: 'req-7' })
    adapters.logContext.run({ requestId: 'req-7', companyId: 'c-2' }, () => requestLogger.info('bound'))
    expect(raw[0]?.match(/"requestId"/g)).toHaveLength(1)
    expect(JSON.parse(raw[0]!)).toMatchObject({ requestId: 'req-7', companyId: 'c-2' })
  })

  it('honours the level: debug lines are dropped at info', () => {
    const lines: string[] = []
    const { telemetry } = createTelemetry(
      { logLevel: 'info', processMetrics: false },
      { logDestination: { write: (line: string) => void lines.push(line) } },
    )
    telemetry.logger.debug('hidden')
    telemetry.logger.info('shown')
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['shown'])
  })
})

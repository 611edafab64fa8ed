import type { LogFields, Logger } from '@agentry/contracts'
import pino, { type DestinationStream, type Logger as Pino } from 'pino'
import type { LogContext } from './log-context.js'
import { DEFAULT_REDACT_PATHS, REDACTED, scrubSecrets } from './log-redaction.js'
import type { LogLevel } from './telemetry-config.js'

export interface PinoOptions {
  readonly level: LogLevel
  readonly service: string
  readonly redactPaths: readonly string[]
  readonly context: LogContext
  /** Where lines go; stdout when absent. */
  readonly destination?: DestinationStream
}

/**
 * The process's one pino instance: JSON lines on stdout (or `destination`), the current
 * `LogContext` fields on every line (unless the logger already binds them), secret fields
 * redacted by path, and secret-shaped values scrubbed from the finished line.
 */
export function createPino(options: PinoOptions): Pino {
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false })
  return pino(
    {
      level: options.level,
      base: { service: options.service },
      redact: { paths: [...DEFAULT_REDACT_PATHS, ...options.redactPaths], censor: REDACTED },
      mixin: (_object, _level, logger) => contextFields(options.context, logger),
    },
    scrubbingStream(destination),
  )
}

function contextFields(context: LogContext, logger: Pino): Record<string, unknown> {
  const fields = context.fields()
  const names = Object.keys(fields)
  if (names.length === 0) return {}
  // A child logger that already binds a field (Fastify's request logger binds requestId) keeps its own.
  const bound = logger.bindings()
  const unbound: Record<string, unknown> = {}
  for (const name of names) if (!(name in bound)) unbound[name] = fields[name]
  return unbound
}

/** A destination that scrubs each line before it is written; flushes pass through. */
function scrubbingStream(destination: DestinationStream): DestinationStream {
  const inner = destination as DestinationStream & { flushSync?: () => void; end?: () => void }
  const stream: DestinationStream & { flushSync?: () => void; end?: () => void } = {
    write: (line: string) => inner.write(scrubSecrets(line)),
  }
  if (inner.flushSync) stream.flushSync = () => inner.flushSync?.()
  if (inner.end) stream.end = () => inner.end?.()
  return stream
}

/** The `Logger` port over a pino logger: `info(message, fields)` is `pino.info(fields, message)`. */
export class PinoLogger implements Logger {
  readonly pino: Pino

  constructor(logger: Pino) {
    this.pino = logger
  }

  debug(message: string, fields?: LogFields): void {
    this.pino.debug(fields ?? {}, message)
  }

  info(message: string, fields?: LogFields): void {
    this.pino.info(fields ?? {}, message)
  }

  warn(message: string, fields?: LogFields): void {
    this.pino.warn(fields ?? {}, message)
  }

  error(message: string, fields?: LogFields): void {
    this.pino.error(fields ?? {}, message)
  }

  child(fields: LogFields): Logger {
    return new PinoLogger(this.pino.child(fields))
  }
}

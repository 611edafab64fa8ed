import { setTimeout as delay } from 'node:timers/promises'
import type {
  CallOptions,
  HttpClient,
  HttpResponse,
  HttpToolAuth,
  TenantScope,
  ToolInvocation,
  ToolOutput,
  ToolRuntime,
} from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import { scrubSecrets } from '../redaction.js'
import { buildHttpRequest, IDEMPOTENT_METHODS } from './http-request-template.js'
import { bodyExcerpt, DEFAULT_MAX_RESULT_CHARS, toToolOutput } from './http-tool-result.js'

/** Reads a company secret's plaintext for internal use (SecretService implements it). */
export interface SecretReader {
  /** Null when the company has no secret of that name. */
  reveal(scope: TenantScope, name: string, options?: CallOptions): Promise<string | null>
}

/** Host patterns a company's HTTP tools may (allow) or may never (deny) reach. */
export interface OutboundHostPolicy {
  hostsFor(
    scope: TenantScope,
    options?: CallOptions,
  ): Promise<{ readonly allow: readonly string[]; readonly deny: readonly string[] }>
}

export interface HttpToolRuntimeOptions {
  /** The guarded client: every request goes through the outbound guard. */
  readonly http: HttpClient
  readonly secrets: SecretReader
  readonly hosts?: OutboundHostPolicy
  /** Characters of a result the model receives. Default 16,000. */
  readonly maxResultChars?: number
  /** Bytes read from a response when the tool sets no `responseMaxBytes`. Default 1 MiB. */
  readonly responseMaxBytes?: number
  /** Longest wait between two attempts. Default 5 s. */
  readonly maxBackoffMs?: number
}

const RETRYABLE_CODES = ['UNAVAILABLE', 'TIMEOUT'] as const

function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500
}

/**
 * Runs `http` tools: builds the request from the validated arguments, adds the credential from
 * the company's secret (decrypted per call, never logged, scrubbed from results and errors should
 * the server echo it), sends it through the guarded HttpClient with the tool's and company's host
 * lists, retries with exponential backoff only idempotent methods (GET, HEAD, PUT, DELETE) on
 * `UNAVAILABLE`, `TIMEOUT`, 5xx and 429, and turns the response into the tool result. A non-2xx
 * answer is `UPSTREAM_ERROR` with the status and a short excerpt of the body.
 */
export class HttpToolRuntime implements ToolRuntime {
  readonly kind = 'http' as const
  readonly #options: HttpToolRuntimeOptions

  constructor(options: HttpToolRuntimeOptions) {
    this.#options = options
  }

  async execute(invocation: ToolInvocation, options: CallOptions = {}): Promise<ToolOutput> {
    const { tool, context } = invocation
    const config = tool.http
    if (!config) throw new CoreError('INTERNAL', `Tool "${tool.name}" has no http configuration.`)
    const built = buildHttpRequest(config, invocation.arguments)
    const credentials = config.auth
      ? await this.#credentials(context.scope, config.auth, tool.name, options)
      : null
    const headers = { ...built.headers, ...(credentials?.headers ?? {}) }
    const scrub = (text: string) => scrubSecrets(text, credentials?.secrets ?? [])
    const company = this.#options.hosts ? await this.#options.hosts.hostsFor(context.scope, options) : null
    const hosts = {
      allow: [...(company?.allow ?? []), ...(config.allowHosts ?? [])],
      deny: [...(company?.deny ?? []), ...(config.denyHosts ?? [])],
    }
    const attempts = IDEMPOTENT_METHODS.has(config.method) ? Math.max(1, tool.retry.attempts) : 1
    for (let attempt = 1; ; attempt += 1) {
      let response: HttpResponse
      try {
        response = await this.#options.http.request(
          {
            method: config.method,
            url: built.url,
            headers,
            ...(built.body === undefined ? {} : { body: built.body }),
            timeoutMs: tool.timeoutMs,
            maxResponseBytes: config.responseMaxBytes ?? this.#options.responseMaxBytes ?? 1024 * 1024,
            hosts,
          },
          options,
        )
      } catch (error) {
        if (CoreError.hasCode(error, ...RETRYABLE_CODES) && attempt < attempts) {
          await this.#backoff(tool.retry.backoffMs, attempt, options.signal)
          continue
        }
        throw rethrowScrubbed(error, scrub)
      }
      const isOk = response.status >= 200 && response.status < 300
      if (!isOk && isRetryableStatus(response.status) && attempt < attempts) {
        const retryAfterSeconds = Number(response.headers['retry-after'])
        const atLeastMs = Number.isFinite(retryAfterSeconds) ? retryAfterSeconds * 1000 : 0
        await this.#backoff(tool.retry.backoffMs, attempt, options.signal, atLeastMs)
        continue
      }
      if (!isOk) {
        const excerpt = bodyExcerpt(response, scrub)
        throw new CoreError(
          'UPSTREAM_ERROR',
          `The server answered HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`,
          {
            details: { status: response.status, attempts: attempt },
            isRetryable: isRetryableStatus(response.status),
          },
        )
      }
      return toToolOutput(response, this.#options.maxResultChars ?? DEFAULT_MAX_RESULT_CHARS, scrub)
    }
  }

  async #credentials(
    scope: TenantScope,
    auth: HttpToolAuth,
    toolName: string,
    options: CallOptions,
  ): Promise<{ headers: Record<string, string>; secrets: string[] }> {
    const value = await this.#options.secrets.reveal(scope, auth.secretName, options)
    if (value === null) {
      throw new CoreError(
        'NOT_FOUND',
        `Tool "${toolName}" needs the secret "${auth.secretName}", which this company does not have: create it (POST /api/v1/secrets).`,
        { isRetryable: false },
      )
    }
    if (auth.type === 'bearer') return { headers: { authorization: `Bearer ${value}` }, secrets: [value] }
    if (auth.type === 'header') {
      return { headers: { [(auth.headerName ?? 'x-api-key').toLowerCase()]: value }, secrets: [value] }
    }
    const encoded = Buffer.from(value, 'utf8').toString('base64')
    const password = value.includes(':') ? value.slice(value.indexOf(':') + 1) : value
    return { headers: { authorization: `Basic ${encoded}` }, secrets: [value, encoded, password] }
  }

  /** Waits `baseMs * 2^(attempt-1)` (at least the server's Retry-After), capped at `maxBackoffMs`. */
  async #backoff(
    baseMs: number,
    attempt: number,
    signal: AbortSignal | undefined,
    atLeastMs = 0,
  ): Promise<void> {
    const ms = Math.min(Math.max(baseMs * 2 ** (attempt - 1), atLeastMs), this.#options.maxBackoffMs ?? 5000)
    if (ms <= 0) return
    try {
      await delay(ms, undefined, signal ? { signal } : {})
    } catch (error) {
      throw new CoreError('CANCELLED', 'The tool call was stopped while waiting to retry.', { cause: error })
    }
  }
}

function rethrowScrubbed(error: unknown, scrub: (text: string) => string): unknown {
  if (!CoreError.isInstance(error)) return error
  const message = scrub(error.message)
  if (message === error.message) return error
  return new CoreError(error.code, message, {
    isRetryable: error.isRetryable,
    ...(error.details ? { details: error.details } : {}),
  })
}

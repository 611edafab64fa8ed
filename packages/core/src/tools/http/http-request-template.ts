import type { HttpToolConfig, JsonValue } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'

/** `{name}`: an argument's value. Names are JSON-Schema property names of the tool's input. */
export const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_-]{0,63})\}/g

/** Methods that may be sent twice with the same effect: only these are retried. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE'])

export interface BuiltHttpRequest {
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: string | undefined
}

/** Every placeholder name used in the URL, query and header templates, in order, once each. */
export function placeholderNames(config: HttpToolConfig): string[] {
  const templates = [config.url, ...Object.values(config.query ?? {}), ...Object.values(config.headers ?? {})]
  const names = templates.flatMap((template) => [...template.matchAll(PLACEHOLDER)].map((match) => match[1]!))
  return [...new Set(names)]
}

/** Whether the tool sends the arguments as a JSON body (the default for POST, PUT and PATCH). */
export function sendsBody(config: HttpToolConfig): boolean {
  if (config.body !== undefined) return config.body === 'arguments'
  return config.method === 'POST' || config.method === 'PUT' || config.method === 'PATCH'
}

function text(value: JsonValue): string {
  if (typeof value === 'string') return value
  if (value === null) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function argumentsRecord(args: JsonValue): Readonly<Record<string, JsonValue>> {
  return args !== null && typeof args === 'object' && !Array.isArray(args)
    ? (args as Readonly<Record<string, JsonValue>>)
    : {}
}

/**
 * Builds the request from validated arguments: URL placeholders are URL-encoded (a value cannot
 * add a path segment, climb with `..`, add a query parameter or change the host); query values are encoded by
 * URLSearchParams, and a query parameter whose template is a lone placeholder is left out when
 * that argument is absent; header values must not contain line breaks. Throws `INVALID_INPUT`.
 */
export function buildHttpRequest(config: HttpToolConfig, args: JsonValue): BuiltHttpRequest {
  const values = argumentsRecord(args)
  const path = config.url.replace(PLACEHOLDER, (_match, name: string) => {
    const value = values[name]
    if (value === undefined) {
      throw new CoreError('INVALID_INPUT', `Argument "${name}" is needed to build this tool's URL: pass it.`)
    }
    const encoded = encodeURIComponent(text(value))
    // `.` and `..` survive encoding and would be read as dot segments, climbing the path.
    if (encoded === '.' || encoded === '..') {
      throw new CoreError('INVALID_INPUT', `Argument "${name}" cannot be "${encoded}" in a URL.`)
    }
    return encoded
  })
  const url = new URL(path)
  for (const [key, template] of Object.entries(config.query ?? {})) {
    const lone = /^\{([A-Za-z_][A-Za-z0-9_-]*)\}$/.exec(template)
    if (lone && values[lone[1]!] === undefined) continue
    url.searchParams.append(
      key,
      template.replace(PLACEHOLDER, (_match, name: string) => {
        const value = values[name]
        return value === undefined ? '' : text(value)
      }),
    )
  }
  const headers: Record<string, string> = {}
  for (const [name, template] of Object.entries(config.headers ?? {})) {
    const value = template.replace(PLACEHOLDER, (_match, key: string) => {
      const argument = values[key]
      return argument === undefined ? '' : text(argument)
    })
    if (/[\r\n\0]/.test(value)) {
      throw new CoreError('INVALID_INPUT', `The value for header "${name}" must not contain line breaks.`)
    }
    headers[name.toLowerCase()] = value
  }
  headers.accept ??= 'application/json, text/plain;q=0.9, */*;q=0.5'
  const hasBody = sendsBody(config)
  if (hasBody) headers['content-type'] = 'application/json'
  return { url: url.href, headers, body: hasBody ? JSON.stringify(args) : undefined }
}

import type { FieldIssue, HttpToolConfig, JsonSchema } from '@agentry/contracts'
import type { JsonSchemaValidator } from '../json-schema/json-schema-validator.js'
import { PLACEHOLDER, placeholderNames } from './http/http-request-template.js'
import type { ParsedToolInput } from './tool-input.js'

/**
 * Why a URL host must not be reached (`loopback`, `private`, `link-local or metadata`, ...), or
 * null. Only literal addresses and names like `localhost` can be judged when a tool is saved; names
 * are resolved and checked again on every call by the outbound guard. The host injects it
 * (backed by @agentry/outbound), so the core needs no network code.
 */
export type OutboundTargetCheck = (hostname: string) => string | null

export interface DefinitionCheckContext {
  readonly schemas: JsonSchemaValidator
  /** True for builtin tools registered in code. */
  readonly isBuiltin: (name: string) => boolean
  readonly checkTarget?: OutboundTargetCheck
}

const MAX_SCHEMA_CHARS = 64 * 1024

/** Every problem with a parsed definition beyond its shape; empty when it may be saved. */
export function definitionIssues(input: ParsedToolInput, context: DefinitionCheckContext): FieldIssue[] {
  const issues: FieldIssue[] = []
  const add = (path: string, message: string) => issues.push({ path, message })
  schemaIssues('inputSchema', input.inputSchema as JsonSchema, context.schemas, add)
  if (input.inputSchema.type !== 'object') {
    add('inputSchema.type', 'must be "object": tool arguments are a JSON object')
  }
  if (input.outputSchema) schemaIssues('outputSchema', input.outputSchema as JsonSchema, context.schemas, add)
  const others = { http: input.http, workflow: input.workflow, builtin: input.builtin }
  for (const [key, value] of Object.entries(others)) {
    if (key !== input.kind && value !== null) add(key, `only applies to tools of kind "${key}"`)
  }
  if (input.kind === 'http') {
    if (input.http === null) add('http', 'is required for kind "http" (method and url at least)')
    else httpIssues(input.http, input.inputSchema as JsonSchema, context, add)
  }
  if (input.kind === 'builtin') {
    if (input.builtin === null)
      add('builtin', 'is required for kind "builtin": name the registered builtin tool')
    else if (!context.isBuiltin(input.builtin.name)) {
      add('builtin.name', `no builtin tool "${input.builtin.name}" is registered`)
    }
  }
  return issues
}

function schemaIssues(
  path: string,
  schema: JsonSchema,
  schemas: JsonSchemaValidator,
  add: (path: string, message: string) => void,
): void {
  if (JSON.stringify(schema).length > MAX_SCHEMA_CHARS) {
    add(path, `is larger than ${MAX_SCHEMA_CHARS / 1024} KB`)
    return
  }
  const error = schemas.schemaError(schema)
  if (error) add(path, `is not a valid JSON Schema (draft 2020-12): ${error}`)
}

function httpIssues(
  config: HttpToolConfig,
  inputSchema: JsonSchema,
  context: DefinitionCheckContext,
  add: (path: string, message: string) => void,
): void {
  const authority = /^(https?):\/\/([^/?#]*)/i.exec(config.url)
  if (!authority) {
    add('http.url', 'must be an absolute http:// or https:// URL')
    return
  }
  const host = authority[2] ?? ''
  if (host.includes('{'))
    add('http.url', 'placeholders are allowed in the path and query only, not in the host')
  if (host.includes('@')) add('http.url', 'must not carry credentials: use auth with a secret')
  let url: URL | null = null
  try {
    url = new URL(config.url.replace(PLACEHOLDER, 'x'))
  } catch {
    add('http.url', 'is not a valid URL')
  }
  if (url && !host.includes('{')) {
    const hostname = url.hostname.replace(/^\[|\]$/g, '')
    const reason = context.checkTarget?.(hostname) ?? null
    if (reason) add('http.url', `${hostname} is a ${reason} address, which the platform does not reach`)
  }
  const properties = inputSchema.properties
  const known =
    properties !== null && typeof properties === 'object' && !Array.isArray(properties)
      ? new Set(Object.keys(properties))
      : new Set<string>()
  for (const name of placeholderNames(config)) {
    if (!known.has(name)) {
      add('http', `placeholder {${name}} does not name a property of inputSchema: add it or fix the template`)
    }
  }
  const headerNames = Object.keys(config.headers ?? {}).map((name) => name.toLowerCase())
  if (headerNames.includes('authorization')) {
    add('http.headers', 'authorization must not be written into the tool: use auth with a stored secret')
  }
  const authHeader = config.auth?.type === 'header' ? config.auth.headerName?.toLowerCase() : undefined
  if (authHeader && headerNames.includes(authHeader)) {
    add('http.headers', `${authHeader} is set by auth; remove it from headers`)
  }
}

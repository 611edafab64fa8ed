import { lookup } from 'node:dns/promises'
import type { HttpClient } from '@agentry/contracts'
import { GuardedHttpClient } from './guarded-http-client.js'
import { type OutboundConfigInput, OutboundConfigSchema, type Resolver } from './outbound-config.js'

const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true })

/** The guarded client. `resolver` is injectable so tests can play a rebinding DNS. */
export function createHttpClient(config: OutboundConfigInput = {}): HttpClient {
  const { resolver, ...rest } = config
  return new GuardedHttpClient(OutboundConfigSchema.parse(rest), resolver ?? systemResolver)
}

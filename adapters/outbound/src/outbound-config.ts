import type { LookupAddress } from 'node:dns'
import { z } from 'zod'

/** Resolves a host name to every address it has (like `dns.lookup(host, { all: true })`). */
export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>

export const OutboundConfigSchema = z
  .object({
    /** Loopback is refused unless the operator says so explicitly (tests do). Private ranges never. */
    allowLoopback: z.boolean().default(false),
    /** Platform-wide host patterns; a request's own lists add to these. */
    allowHosts: z.array(z.string().min(1)).default([]),
    denyHosts: z.array(z.string().min(1)).default([]),
    maxRedirects: z.number().int().min(0).max(3).default(3),
    userAgent: z.string().min(1).default('Agentry/0.1 (+https://github.com/agentry)'),
  })
  .strict()

export type OutboundConfig = z.output<typeof OutboundConfigSchema>
export type OutboundConfigInput = z.input<typeof OutboundConfigSchema> & { readonly resolver?: Resolver }

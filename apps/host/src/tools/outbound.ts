import type { HttpClient } from '@agentry/contracts'
import type { OutboundHostPolicy, OutboundTargetCheck } from '@agentry/core'
import { createHttpClient, targetRefusal } from '@agentry/outbound'
import type { Config } from '../config/load-config.js'

export interface Outbound {
  /** The guarded client every tenant-initiated request goes through. */
  readonly http: HttpClient
  /** Refuses literal internal hosts when an HTTP tool is saved. */
  readonly checkTarget: OutboundTargetCheck
  /** The per-company host lists of `AGENTRY_OUTBOUND_COMPANY_HOSTS`. */
  readonly companyHosts: OutboundHostPolicy
}

/** The outbound guard as the operator configured it (loopback only with AGENTRY_OUTBOUND_ALLOW_LOOPBACK). */
export function createOutbound(config: Config): Outbound {
  const { allowLoopback, allowHosts, denyHosts, companyHosts } = config.outbound
  const none = { allow: [], deny: [] }
  return {
    http: createHttpClient({ allowLoopback, allowHosts: [...allowHosts], denyHosts: [...denyHosts] }),
    checkTarget: (hostname) => targetRefusal(hostname, { allowLoopback }),
    companyHosts: { hostsFor: async (scope) => companyHosts[scope.companyId] ?? none },
  }
}

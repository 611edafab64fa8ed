import { expect } from 'vitest'
import type { Page, PageRequest } from '../../common.js'
import type { Agent, AgentVersion } from '../../domain/agent.js'
import type { Message, Session, Turn } from '../../domain/conversation.js'
import type { Company } from '../../domain/tenancy.js'
import type { NewUsageEvent } from '../../domain/usage.js'
import type { Stores } from '../../ports/stores/stores.js'
import { systemScope, type TenantScope, tenantScope } from '../../scope.js'
import { makeAgent, makeAgentVersion, makeCompany, makeMessage, makeSession, makeTurn } from '../fixtures.js'

/** What each store area of the kit gets: the subject and a `test` that honours the adapter's skips. */
export interface StoreKit {
  readonly stores: () => Stores
  readonly test: (title: string, fn: () => Promise<void>) => void
}

export const SYSTEM = systemScope('stores conformance kit')

/** A base time a little in the past, so rows made at `at(n)` sort in the order of `n`. */
export function timeline(): (offsetSeconds: number) => Date {
  const base = Date.now() - 3_600_000
  return (offsetSeconds) => new Date(base + offsetSeconds * 1000)
}

/** Creates a fresh company and returns it with its scope. Every test makes its own tenants. */
export async function seedTenant(
  stores: Stores,
  overrides: Partial<Company> = {},
): Promise<{ company: Company; scope: TenantScope }> {
  const company = await stores.companies.create(SYSTEM, makeCompany(overrides))
  return { company, scope: tenantScope(company.id) }
}

export async function seedAgent(
  stores: Stores,
  scope: TenantScope,
  overrides: Partial<Agent> = {},
): Promise<{ agent: Agent; version: AgentVersion }> {
  const agent = makeAgent(scope, overrides)
  const version = makeAgentVersion(agent, { createdAt: agent.createdAt })
  await stores.agents.create(scope, agent, version)
  return { agent, version }
}

/**
 * Commits one turn with `count` messages (alternating user and assistant) and `usage` events, on a
 * new session or on `session` when given; returns what was written.
 */
export async function commitTurn(
  stores: Stores,
  scope: TenantScope,
  agent: Agent,
  options: {
    readonly session?: Session
    /** Overrides for the new session when `session` is absent. */
    readonly newSession?: Partial<Session>
    readonly count?: number
    readonly usage?: readonly NewUsageEvent[]
    readonly turn?: Partial<Turn>
    readonly at?: Date
  } = {},
): Promise<{ session: Session; turn: Turn; messages: Message[] }> {
  const at = options.at ?? new Date()
  const isNewSession = options.session === undefined
  const previous = options.session ?? makeSession(agent, { createdAt: at, ...options.newSession })
  const turn = makeTurn(previous, { createdAt: at, completedAt: at, ...options.turn })
  const messages = Array.from({ length: options.count ?? 2 }, (_, index) =>
    makeMessage(turn, {
      role: index % 2 === 0 ? 'user' : 'assistant',
      content: `message ${previous.messageCount + index}`,
      createdAt: at,
    }),
  )
  const session: Session = {
    ...previous,
    updatedAt: at,
    messageCount: previous.messageCount + messages.length,
  }
  await stores.turns.commit(scope, {
    session,
    isNewSession,
    turn,
    messages,
    usageEvents: options.usage ?? [],
  })
  return { session, turn, messages }
}

/**
 * Follows `nextCursor` from the first page to the last and returns every page. Fails when a list
 * never ends (a cursor that does not advance).
 */
export async function allPages<T>(
  fetch: (page: PageRequest) => Promise<Page<T>>,
  limit: number,
  maxPages = 50,
): Promise<T[][]> {
  const pages: T[][] = []
  let cursor: string | null = null
  do {
    const page: Page<T> = await fetch({ limit, cursor })
    expect(page.items.length).toBeLessThanOrEqual(limit)
    pages.push([...page.items])
    cursor = page.nextCursor
    if (pages.length > maxPages) throw new Error(`the list did not end within ${maxPages} pages of ${limit}`)
  } while (cursor !== null)
  return pages
}

export const idsOf = <I extends string>(rows: readonly { readonly id: I }[]): I[] => rows.map((row) => row.id)

import type { SessionId } from '@agentry/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PostgresDatabase } from '../src/index.js'
import { openEmbedded } from './postgres-test-database.js'
import { createTurnWorld, QueryCounter, type TurnWorld } from './turn-world.js'

/** The target of the issue: at most 6 database round trips for a plain turn. */
const PLAIN_TURN_ROUND_TRIPS = 6

describe('database round trips of a plain turn (PGlite)', () => {
  const counter = new QueryCounter()
  let database: PostgresDatabase
  let world: TurnWorld

  beforeAll(async () => {
    database = await openEmbedded({ onQuery: counter.onQuery })
    world = await createTurnWorld(database)
  })
  afterAll(() => database?.close())

  it('is six (BEGIN with the tenant, one statement and COMMIT, for load and for commit), new or long session', async () => {
    counter.count = 0
    const first = await world.send(undefined, 0)
    expect(counter.count).toBe(PLAIN_TURN_ROUND_TRIPS)
    let sessionId: SessionId = first.sessionId
    for (let turn = 1; turn < 15; turn += 1) sessionId = (await world.send(sessionId, turn)).sessionId
    counter.count = 0
    const later = await world.send(sessionId, 15)
    expect(counter.count).toBe(PLAIN_TURN_ROUND_TRIPS)
    expect(later.outcome).toEqual({ type: 'replied' })
    expect(later.message.content).toContain('looking into your order')
  })
})

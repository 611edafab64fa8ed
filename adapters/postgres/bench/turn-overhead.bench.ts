/**
 * Turn overhead on these stores, in the core benchmark's shape: a zero-latency scripted model,
 * 20 messages of history, 10 tools offered. Overhead = turn time minus time inside the model.
 * Runs on PGlite, and on PostgreSQL 15 when AGENTRY_TEST_DATABASE_URL (default: the server of
 * `scripts/services.sh`) answers; counts database round trips per plain turn. Prints numbers only.
 */
import type { SessionId } from '@agentry/contracts'
import { createEmbeddedPostgres, createServerPostgres, type PostgresDatabase } from '../src/index.js'
import { createTestServerDatabase, probeServer } from '../test/postgres-test-database.js'
import { createTurnWorld, QueryCounter } from '../test/turn-world.js'

const SESSIONS = 20
const WARMUP_TURNS = 200
const MEASURED_TURNS = 2000

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN
}

const format = (ms: number) => `${ms.toFixed(3)} ms`

async function measure(label: string, database: PostgresDatabase, counter: QueryCounter): Promise<void> {
  await database.migrate()
  const world = await createTurnWorld(database)
  const sessions: SessionId[] = []
  for (let index = 0; index < SESSIONS; index += 1) {
    let sessionId: SessionId | undefined
    for (let turn = 0; turn < 10; turn += 1) sessionId = (await world.send(sessionId, turn)).sessionId
    sessions.push(sessionId as SessionId)
  }
  for (let turn = 0; turn < WARMUP_TURNS; turn += 1) await world.send(sessions[turn % SESSIONS], turn)
  const overheads: number[] = []
  const turnTimes: number[] = []
  const roundTrips: number[] = []
  for (let turn = 0; turn < MEASURED_TURNS; turn += 1) {
    const before = world.model.spentMs
    const queries = counter.count
    const started = performance.now()
    await world.send(sessions[turn % SESSIONS], turn)
    const elapsed = performance.now() - started
    turnTimes.push(elapsed)
    overheads.push(elapsed - (world.model.spentMs - before))
    roundTrips.push(counter.count - queries)
  }
  const newSession = counter.count
  await world.send(undefined, 0)
  const newSessionTrips = counter.count - newSession
  for (const list of [overheads, turnTimes, roundTrips]) list.sort((left, right) => left - right)
  console.log(
    `${label} (${MEASURED_TURNS} plain turns, 20 history messages, 10 tools, zero-latency scripted model)`,
  )
  console.log(
    `  overhead     p50 ${format(percentile(overheads, 0.5))}  p99 ${format(percentile(overheads, 0.99))}`,
  )
  console.log(
    `  turn         p50 ${format(percentile(turnTimes, 0.5))}  p99 ${format(percentile(turnTimes, 0.99))}`,
  )
  console.log(
    `  round trips  existing session min ${roundTrips[0]} max ${roundTrips.at(-1)}  new session ${newSessionTrips}`,
  )
}

async function main(): Promise<void> {
  const embeddedCounter = new QueryCounter()
  const embedded = await createEmbeddedPostgres({ dataDir: 'memory', onQuery: embeddedCounter.onQuery })
  try {
    await measure('PostgresStores on PGlite (in memory)', embedded, embeddedCounter)
  } finally {
    await embedded.close()
  }
  const probe = await probeServer()
  if (!probe.isAvailable) {
    console.log(`PostgresStores on PostgreSQL 15: not measured (${probe.reason})`)
    return
  }
  const target = await createTestServerDatabase()
  const serverCounter = new QueryCounter()
  const server = await createServerPostgres({ url: target.url, onQuery: serverCounter.onQuery })
  try {
    await measure('PostgresStores on PostgreSQL 15 (loopback TCP)', server, serverCounter)
  } finally {
    await server.close()
    await target.drop()
  }
}

await main()

/**
 * HTTP chat turns per second on the embedded default (PGlite on disk, in-process lock and rate
 * limiter, the local scripted model with no latency), beside a bare Fastify route doing the same
 * database work (`bare-turn-route.ts`), as a ratio. autocannon runs in its own process. Each turn
 * starts a new session, so turns do not wait on each other's session lock. Prints numbers only.
 *
 * BENCH_SECONDS (default 10), BENCH_ROUNDS (default 3) and BENCH_CONNECTIONS (default 10) tune the
 * runs; the two servers take turns, round after round, so a busy machine slows both alike.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { AgentId } from '@agentry/contracts'
import pino from 'pino'
import { buildApp } from '../src/app.js'
import { compose } from '../src/compose.js'
import { loadConfig } from '../src/config/load-config.js'
import { bareTurnApp } from './bare-turn-route.js'

const run = promisify(execFile)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const AUTOCANNON = new URL('../../../node_modules/.bin/autocannon', import.meta.url).pathname

interface Measured {
  readonly requestsPerSecond: number
  readonly p50: number
  readonly p99: number
  readonly errors: number
}

async function autocannon(url: string, headers: Record<string, string>, seconds: number): Promise<Measured> {
  const args = ['-j', '-c', String(CONNECTIONS), '-d', String(seconds), '-m', 'POST']
  for (const [name, value] of Object.entries({ ...headers, 'content-type': 'application/json' })) {
    args.push('-H', `${name}=${value}`)
  }
  args.push('-b', JSON.stringify({ message: 'hello there' }), url)
  const { stdout } = await run(AUTOCANNON, args, { maxBuffer: 16 * 1024 * 1024 })
  const result = JSON.parse(stdout) as {
    requests: { average: number }
    latency: { p50: number; p99: number }
    non2xx: number
    errors: number
  }
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
  }
}

function line(label: string, measured: Measured): string {
  return `  ${label.padEnd(34)} ${measured.requestsPerSecond.toFixed(1).padStart(8)} turns/s   p50 ${measured.p50} ms   p99 ${measured.p99} ms   non-2xx/errors ${measured.errors}`
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentry-bench-'))
  const config = loadConfig({
    AGENTRY_DATA_DIR: dataDir,
    AGENTRY_LOG_LEVEL: 'silent',
    AGENTRY_RATE_LIMIT_PER_KEY: '1000000',
    AGENTRY_RATE_LIMIT_PER_COMPANY: '10000000',
  })
  const composition = await compose(config)
  const platform = await buildApp(composition, { logger: pino({ level: 'silent' }) })
  try {
    const { agentry } = composition
    const created = await agentry.companies.create({ actor: { type: 'platform-admin' } }, { name: 'Bench' })
    const context = { actor: await agentry.apiKeys.authenticate(created.adminKey.key) }
    const { agent } = await agentry.agents.create(context, {
      name: 'Bench agent',
      config: {
        systemPrompt: 'You help.',
        providerOptions: { local: { rules: [{ when: { always: true }, reply: 'Noted: {{input}}' }] } },
      },
    })
    const bare = await bareTurnApp(composition.stores, created.company.id)
    const platformUrl = await platform.listen({ port: 0, host: '127.0.0.1' })
    const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' })
    const chatUrl = `${platformUrl}/api/v1/agents/${agent.id as AgentId}/chat`
    const auth = { authorization: `Bearer ${created.adminKey.key}` }
    const bareRouteUrl = `${bareUrl}/bare/${agent.id}`

    console.log(
      `HTTP chat turns on the embedded default (PGlite on disk, local scripted model, new session per turn), ` +
        `${CONNECTIONS} connections, ${SECONDS} s per run, autocannon in its own process`,
    )
    await autocannon(chatUrl, auth, 3)
    await autocannon(bareRouteUrl, {}, 3)
    const platformRuns: Measured[] = []
    const bareRuns: Measured[] = []
    for (let round = 0; round < ROUNDS; round += 1) {
      platformRuns.push(await autocannon(chatUrl, auth, SECONDS))
      bareRuns.push(await autocannon(bareRouteUrl, {}, SECONDS))
    }
    for (const [index, measured] of platformRuns.entries())
      console.log(line(`platform POST /chat (run ${index + 1})`, measured))
    for (const [index, measured] of bareRuns.entries())
      console.log(line(`bare route, same writes (run ${index + 1})`, measured))
    const mean = (runs: readonly Measured[]) =>
      runs.reduce((sum, item) => sum + item.requestsPerSecond, 0) / runs.length
    const ratio = mean(platformRuns) / mean(bareRuns)
    console.log(
      `  platform keeps ${(ratio * 100).toFixed(1)}% of the bare route's throughput ` +
        `(${mean(platformRuns).toFixed(1)} vs ${mean(bareRuns).toFixed(1)} turns/s; target >= 70%)`,
    )
    await bare.close()
  } finally {
    await platform.close()
    await composition.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

await main()

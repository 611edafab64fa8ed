import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitUntil } from '@agentry/contracts/testing'
import { Redis } from 'ioredis'

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (address === null || typeof address === 'string') throw new Error('no TCP port')
  return address.port
}

export interface RedisServerProcess {
  readonly url: string
  /** SIGKILL, like a crash: connections drop without a goodbye. */
  kill(): Promise<void>
}

/** A throwaway redis-server (no persistence) of this test's own, for outages the test controls. */
export async function startRedisServer(port: number): Promise<RedisServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'agentry-redis-'))
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  )
  const url = `redis://127.0.0.1:${port}`
  await waitUntil(() => ping(url), { message: `redis-server on port ${port} never answered` })
  return {
    url,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit')
        child.kill('SIGKILL')
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function ping(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
  client.on('error', () => undefined)
  try {
    await client.connect()
    return (await client.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    client.disconnect()
  }
}

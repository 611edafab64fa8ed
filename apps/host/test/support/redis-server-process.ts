import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitUntil } from '@agentry/contracts/testing'

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

/**
 * Whether a `redis-server` binary is on the PATH (the one `bash scripts/services.sh start` runs).
 * Outside CI a missing binary skips the outage tests with the reason; in CI this throws instead.
 */
export function probeRedisServerBinary(): { isAvailable: true } | { isAvailable: false; reason: string } {
  const found = spawnSync('redis-server', ['--version'], { stdio: 'ignore' })
  if (found.error === undefined && found.status === 0) return { isAvailable: true }
  const reason = 'redis-server is not on the PATH: install Redis 7 (bash scripts/services.sh names it)'
  if (process.env.CI === 'true') throw new Error(`${reason}; in CI integration tests must run`)
  return { isAvailable: false, reason }
}

export interface RedisServerProcess {
  readonly url: string
  /** SIGKILL, like a crash: connections drop without a goodbye. Idempotent. */
  kill(): Promise<void>
}

/** A throwaway redis-server (no persistence) of the test's own on `port`, for outages the test controls. */
export async function startRedisServer(port: number): Promise<RedisServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'agentry-host-redis-'))
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  )
  const url = `redis://127.0.0.1:${port}`
  // A test process that dies before `kill()` takes its redis-server with it.
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  const kill = async () => {
    process.off('exit', killOnExit)
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit')
      child.kill('SIGKILL')
      await exited
    }
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await waitUntil(() => answers(url), { message: `redis-server on port ${port} never answered` })
  } catch (error) {
    await kill()
    throw error
  }
  return { url, kill }
}

/** PING over a plain socket (the host does not depend on a Redis client of its own). */
function answers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) })
    let reply = ''
    const settle = (isUp: boolean) => {
      socket.destroy()
      resolve(isUp)
    }
    socket.setTimeout(1_000, () => settle(false))
    socket.on('error', () => settle(false))
    socket.on('connect', () => socket.write('PING\r\n'))
    socket.on('data', (chunk) => {
      reply += chunk.toString()
      if (reply.includes('\r\n')) settle(reply.startsWith('+PONG'))
    })
  })
}

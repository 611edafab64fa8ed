import { CoreError } from '@agentry/contracts'
import { z } from 'zod'
import { data, envelope } from '../http/api-schemas.js'
import { defineArea, defineRoute } from '../http/route-definition.js'

const CHECK_TIMEOUT_MS = 2000

async function check(probe: () => Promise<unknown>): Promise<'ok' | 'failing'> {
  let timer: NodeJS.Timeout | undefined
  try {
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS)
    })
    const result = await Promise.race([probe().then((value) => value !== false), timeout])
    return result ? 'ok' : 'failing'
  } catch {
    return 'failing'
  } finally {
    clearTimeout(timer)
  }
}

const ChecksSchema = z.object({ database: z.enum(['ok', 'failing']), queue: z.enum(['ok', 'failing']) })

/** Probes for load balancers and orchestrators, at the server root. */
export const healthRoutes = defineArea('health', [
  defineRoute({
    method: 'GET',
    url: '/healthz',
    isRoot: true,
    access: 'public',
    summary: 'Liveness: the process answers',
    schema: { response: { 200: envelope(z.object({ status: z.literal('ok') })) } },
    handler: async () => data({ status: 'ok' as const }),
  }),
  defineRoute({
    method: 'GET',
    url: '/readyz',
    isRoot: true,
    access: 'public',
    summary: 'Readiness: the database and the job queue answer',
    description: 'Answers 503 UNAVAILABLE naming the failing dependency while one does not answer.',
    schema: { response: { 200: envelope(z.object({ status: z.literal('ready'), checks: ChecksSchema })) } },
    handler: async (_call, { stores, queue }) => {
      const [database, jobQueue] = await Promise.all([
        check(() => stores.ping()),
        check(() => queue.depth('readyz')),
      ])
      const checks = { database, queue: jobQueue }
      if (database !== 'ok' || jobQueue !== 'ok') {
        throw new CoreError('UNAVAILABLE', 'Not ready: a dependency does not answer.', {
          details: { checks },
          retryAfterMs: 5000,
        })
      }
      return data({ status: 'ready' as const, checks })
    },
  }),
])

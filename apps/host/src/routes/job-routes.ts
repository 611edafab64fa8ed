import { JOB_STATUSES } from '@agentry/contracts'
import type { JobView } from '@agentry/core'
import { z } from 'zod'
import { data, envelope, idParams, iso, Timestamp } from '../http/api-schemas.js'
import { defineArea, defineRoute } from '../http/route-definition.js'

const JobSchema = z
  .object({
    id: z.string(),
    kind: z.string().describe('`workflow.<name>`, `kb.index`, ...'),
    status: z.enum(JOB_STATUSES),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    result: z.json().nullable(),
    error: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Job' })

function jobToWire(job: JobView): z.input<typeof JobSchema> {
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    result: job.result as z.input<typeof JobSchema>['result'],
    error: job.error,
    createdAt: iso(job.createdAt),
    updatedAt: iso(job.updatedAt),
  }
}

export const jobRoutes = defineArea('jobs', [
  defineRoute({
    method: 'GET',
    url: '/jobs/:jobId',
    access: 'tools:view',
    summary: 'Status of a background job of this company (workflow tool runs, document indexing)',
    description: 'Knowledge jobs (kb.*) also need kb:view. Another company’s job is 404, like a missing one.',
    schema: { params: idParams('jobId'), response: { 200: envelope(JobSchema) } },
    handler: async ({ params, context, signal }, { agentry }) =>
      data(jobToWire(await agentry.jobs.get(context, params.jobId, { signal }))),
  }),
])

import type { CallOptions, JobQueue, ToolInvocation, ToolOutput, ToolRuntime } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'

/** The job kind a workflow tool enqueues: its configured `jobKind`, else `workflow.<tool name>`. */
export function workflowJobKind(tool: ToolInvocation['tool']): string {
  return tool.workflow?.jobKind ?? `workflow.${tool.name}`
}

/**
 * Runs `workflow` tools: enqueues a job for the tenant with the validated arguments and where the
 * call came from, and returns `{ jobId, status }` at once; the model (or a client, through
 * `GET /api/v1/jobs/{id}`) can follow the job. The job's attempts follow the tool's retry policy.
 * Payload: `{ tool, arguments, agentId, sessionId, turnId }`.
 */
export class WorkflowToolRuntime implements ToolRuntime {
  readonly kind = 'workflow' as const
  readonly #queue: JobQueue | null

  constructor(queue: JobQueue | null) {
    this.#queue = queue
  }

  async execute(invocation: ToolInvocation, options: CallOptions = {}): Promise<ToolOutput> {
    if (!this.#queue) {
      throw new CoreError('UNAVAILABLE', 'Workflow tools need a job queue: pass jobs to createAgentry.', {
        isRetryable: false,
      })
    }
    const { tool, context } = invocation
    const job = await this.#queue.enqueue(
      {
        kind: workflowJobKind(tool),
        companyId: context.scope.companyId,
        payload: {
          tool: tool.name,
          arguments: invocation.arguments,
          agentId: context.agentId,
          sessionId: context.sessionId,
          turnId: context.turnId,
        },
      },
      {
        attempts: Math.max(1, tool.retry.attempts),
        backoffMs: Math.max(1, tool.retry.backoffMs),
        ...(options.signal ? { signal: options.signal } : {}),
      },
    )
    return { output: { jobId: job.id, status: job.status } }
  }
}

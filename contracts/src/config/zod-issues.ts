import type { z } from 'zod'

export interface FieldIssue {
  /** Dotted path with indexes, e.g. `tools.allow.2`; empty for the root. */
  readonly path: string
  readonly message: string
}

/** Flattens a zod error into field issues a client can show next to the field. */
export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }))
}

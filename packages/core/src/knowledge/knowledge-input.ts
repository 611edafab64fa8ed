import type { DocumentId, KnowledgeBase, KnowledgeBaseId } from '@agentry/contracts'
import { CoreError, zodIssues } from '@agentry/contracts'
import { z } from 'zod'

/** Chunking when a knowledge base does not say: about 800 tokens, 15% overlap. */
export const DEFAULT_CHUNKING: KnowledgeBase['chunking'] = { maxTokens: 800, overlapTokens: 120 }

const ChunkingSchema = z
  .object({
    maxTokens: z.number().int().min(50).max(8000).default(DEFAULT_CHUNKING.maxTokens),
    overlapTokens: z.number().int().min(0).max(4000).optional(),
  })
  .strict()
  .refine((chunking) => (chunking.overlapTokens ?? 0) <= chunking.maxTokens / 2, {
    message: 'overlapTokens must be at most half of maxTokens',
    path: ['overlapTokens'],
  })
  .transform((chunking) => ({
    maxTokens: chunking.maxTokens,
    overlapTokens: chunking.overlapTokens ?? Math.round(chunking.maxTokens * 0.15),
  }))

const NameSchema = z.string().trim().min(1).max(120)
const DescriptionSchema = z.string().trim().max(2000)

export const CreateKnowledgeBaseSchema = z
  .object({
    name: NameSchema,
    description: DescriptionSchema.default(''),
    chunking: ChunkingSchema.prefault({}),
  })
  .strict()

export const UpdateKnowledgeBaseSchema = z
  .object({
    name: NameSchema.optional(),
    description: DescriptionSchema.optional(),
    chunking: ChunkingSchema.optional(),
  })
  .strict()

export type CreateKnowledgeBaseInput = z.input<typeof CreateKnowledgeBaseSchema>
export type UpdateKnowledgeBaseInput = z.input<typeof UpdateKnowledgeBaseSchema>

/** Parses `input` with `schema`; `INVALID_INPUT` naming every bad field otherwise. */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  what: string,
): z.output<Schema> {
  const parsed = schema.safeParse(input ?? {})
  if (parsed.success) return parsed.data
  const issues = zodIssues(parsed.error)
  throw new CoreError(
    'INVALID_INPUT',
    `${what} is invalid: ${issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')}`,
    { details: { issues } },
  )
}

export function knowledgeBaseNotFound(id: KnowledgeBaseId | string): CoreError {
  return new CoreError('NOT_FOUND', `Knowledge base ${id} not found in this company.`, {
    details: { knowledgeBaseId: id },
  })
}

export function documentNotFound(id: DocumentId | string): CoreError {
  return new CoreError('NOT_FOUND', `Document ${id} not found in this company.`, {
    details: { documentId: id },
  })
}

export function nameTaken(name: string, cause: unknown): CoreError {
  return new CoreError('CONFLICT', `A knowledge base named "${name}" already exists: choose another name.`, {
    cause,
    details: { name },
  })
}

/** A search request's query (trimmed, 1 to 4000 characters) and `topK` (default 10). */
export function parseSearchInput(
  input: { readonly query: string; readonly topK?: number | undefined },
  maxTopK: number,
): { query: string; topK: number } {
  const query = input.query.trim()
  if (query === '' || query.length > 4000) throw invalidField('query', 'must be 1 to 4000 characters')
  const topK = input.topK ?? 10
  if (!Number.isInteger(topK) || topK < 1 || topK > maxTopK) {
    throw invalidField('topK', `must be a whole number from 1 to ${maxTopK}`)
  }
  return { query, topK }
}

function invalidField(path: string, message: string): CoreError {
  return new CoreError('INVALID_INPUT', `${path} ${message}.`, { details: { issues: [{ path, message }] } })
}

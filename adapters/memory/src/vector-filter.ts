import type { DocumentId, KnowledgeBaseId, VectorFilter } from '@agentry/contracts'

interface Located {
  readonly knowledgeBaseId: KnowledgeBaseId
  readonly documentId: DocumentId
}

/** Whether a point of the filter's company matches its knowledge base and document lists. */
export function matchesFilter(point: Located, filter: VectorFilter): boolean {
  if (filter.knowledgeBaseIds && !filter.knowledgeBaseIds.includes(point.knowledgeBaseId)) return false
  if (filter.documentIds && !filter.documentIds.includes(point.documentId)) return false
  return true
}

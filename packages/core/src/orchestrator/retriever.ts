import type {
  AgentId,
  CallOptions,
  Citation,
  ContextPassage,
  KnowledgeBaseId,
  SessionId,
  TenantScope,
  TurnId,
} from '@agentry/contracts'

export interface RetrievalRequest {
  readonly scope: TenantScope
  readonly agentId: AgentId
  readonly sessionId: SessionId
  readonly turnId: TurnId
  readonly knowledgeBaseIds: readonly KnowledgeBaseId[]
  /** The user's message. */
  readonly query: string
  readonly topK: number
  readonly minScore: number
  readonly mode: 'hybrid' | 'vector' | 'keyword'
}

export interface RetrievedPassage extends ContextPassage {
  /** Shown to the caller when the answer cites `[index]`. */
  readonly citation: Citation
}

export interface RetrievalResult {
  /** Best first; `index` numbers them from 1 as the prompt shows them. */
  readonly passages: readonly RetrievedPassage[]
  /** Tokens embedded for the query (billed as `embedding.tokens`), with the embedding model. */
  readonly embedding: { readonly tokens: number; readonly provider: string; readonly model: string } | null
}

/**
 * Finds knowledge for a turn, only within the scope's company and the agent's knowledge bases.
 * The knowledge issue implements it (hybrid vector + keyword search); the orchestrator asks only
 * when the agent has knowledge bases and one is wired.
 */
export interface Retriever {
  retrieve(request: RetrievalRequest, options?: CallOptions): Promise<RetrievalResult>
}

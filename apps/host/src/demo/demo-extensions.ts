import type { AgentConfigInput } from '@agentry/contracts'
import type { RequestContext } from '@agentry/core'
import type { Composition } from '../compose.js'
import { knowledgeDemo } from './knowledge-demo.js'
import { toolsDemo } from './tools-demo.js'

/** What a demo extension gets: the platform and the demo company's admin context. */
export interface DemoContext {
  readonly composition: Composition
  /** Acts as the demo company's admin API key. */
  readonly context: RequestContext
}

/** What an extension adds to the demo agent and to the printed instructions. */
export interface DemoContribution {
  /** Changes the demo agent's config (add knowledge bases, allow tools, add scripted rules). */
  readonly configure?: (config: AgentConfigInput) => AgentConfigInput
  /** Extra lines for the start-up banner, e.g. a question that uses the knowledge base. */
  readonly tryLines?: readonly string[]
}

/**
 * One step of the demo seed, run once (on the first start) before the demo agent is created:
 * the knowledge area adds a knowledge base with a document, the tools area a tool. Add a step in
 * its own file and one line in `DEMO_EXTENSIONS`.
 */
export interface DemoExtension {
  readonly name: string
  seed(demo: DemoContext): Promise<DemoContribution>
}

export const DEMO_EXTENSIONS: readonly DemoExtension[] = [toolsDemo, knowledgeDemo]

import type { AgentConfigInput, DocumentId, KnowledgeBaseId } from '@agentry/contracts'
import { KB_INDEX_JOB, type RequestContext } from '@agentry/core'
import type { Composition } from '../compose.js'
import type { DemoExtension } from './demo-extensions.js'

/** Two short documents of a made-up shop, so the demo agent has something to cite. */
export const DEMO_DOCUMENTS = [
  {
    title: 'Returns policy',
    text: [
      '# Returns policy',
      '',
      'You can return any item within 30 days of delivery for a full refund. The item must be unused',
      'and in its original packaging. Refunds are paid to the original payment method within 5 working days.',
      '',
      '## Damaged items',
      '',
      'Report a damaged parcel within 48 hours of delivery and include a photo of the damage.',
      'We send a replacement at no cost.',
    ].join('\n'),
  },
  {
    title: 'Shipping and support',
    text: [
      '# Shipping',
      '',
      'Standard shipping takes 3 to 5 working days and is free for orders over 50 euros.',
      'Express shipping arrives the next working day for 9 euros.',
      '',
      '# Support hours',
      '',
      'The support desk answers from Monday to Friday, 9:00 to 17:00 Central European Time.',
    ].join('\n'),
  },
] as const

function withKnowledge(knowledgeBaseId: KnowledgeBaseId) {
  return (config: AgentConfigInput): AgentConfigInput => ({
    ...config,
    knowledge: {
      ...config.knowledge,
      knowledgeBaseIds: [...(config.knowledge?.knowledgeBaseIds ?? []), knowledgeBaseId],
      topK: 3,
    },
  })
}

/**
 * The knowledge step of the demo seed: a knowledge base with the shop's returns and shipping
 * documents (indexed by the worker in the background), attached to the demo agent. Questions the
 * scripted rules do not match are answered from the passages, with `[n]` citations.
 */
export const knowledgeDemo: DemoExtension = {
  name: 'knowledge',
  async seed({ composition, context }) {
    const { service } = composition.knowledge
    const base = await service.createKnowledgeBase(context, {
      name: 'Demo shop handbook',
      description: 'Returns, shipping and support hours of the demo shop.',
    })
    const added = []
    for (const document of DEMO_DOCUMENTS) {
      const queued = await service.addDocument(context, base.id, {
        type: 'text',
        format: 'markdown',
        title: document.title,
        text: document.text,
      })
      added.push(queued.document.id)
    }
    // The in-process queue lives only as long as this process (`agentry demo` exits right after):
    // index the two documents now. With Redis the workers do it.
    if (!composition.config.redisUrl) await indexNow(composition, context, added)
    return {
      configure: withKnowledge(base.id),
      tryLines: [
        `Knowledge: ask "How long do I have to report a damaged parcel?" (answered from the knowledge base "${base.name}", with a citation).`,
      ],
    }
  },
}

async function indexNow(composition: Composition, context: RequestContext, ids: readonly DocumentId[]) {
  const { queue, knowledge } = composition
  const worker = queue.process(KB_INDEX_JOB, knowledge.indexer.handle)
  try {
    const deadline = Date.now() + 60_000
    for (const id of ids) {
      for (;;) {
        const { status } = await knowledge.service.getDocument(context, id)
        if (status === 'ready' || status === 'failed') break
        if (Date.now() > deadline) return
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
  } finally {
    await worker.stop()
  }
}

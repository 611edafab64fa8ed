import type { ChatModel, ChatResponse, ChatStreamPart } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { DirectModelCaller, type ModelCallPart } from '../src/index.js'

const RESPONSE: ChatResponse = {
  content: 'hi',
  toolCalls: [],
  finishReason: 'stop',
  refusal: null,
  usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 },
  model: 'fake',
  responseId: null,
}

/** A model that never answers and ignores its signal: the worst case for timeouts and aborts. */
const deaf: ChatModel = {
  provider: 'test',
  modelId: 'deaf',
  generate: () => new Promise(() => {}),
  async *stream() {
    yield { type: 'text-delta', delta: 'h' }
    await new Promise(() => {})
  },
}

async function drain(parts: AsyncGenerator<ModelCallPart, ChatResponse>) {
  const seen: ModelCallPart[] = []
  for (;;) {
    const next = await parts.next()
    if (next.done) return { seen, response: next.value }
    seen.push(next.value)
  }
}

const request = { messages: [{ role: 'user' as const, content: 'hi' }] }

describe('DirectModelCaller', () => {
  it('fails with TIMEOUT naming the setting when the model does not answer in time', async () => {
    const caller = new DirectModelCaller()
    await expect(
      drain(caller.call({ model: deaf, request, stream: false, timeoutMs: 20 })),
    ).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringContaining('model.timeoutMs'),
    })
    await expect(
      drain(caller.call({ model: deaf, request, stream: true, timeoutMs: 20 })),
    ).rejects.toMatchObject({ code: 'TIMEOUT' })
  })

  it('fails with CANCELLED as soon as the caller aborts, and passes the abort to the model', async () => {
    let seen: AbortSignal | undefined
    const model: ChatModel = {
      ...deaf,
      generate: (_request, options) => {
        seen = options?.signal
        return new Promise(() => {})
      },
    }
    const controller = new AbortController()
    const pending = drain(
      new DirectModelCaller().call({
        model,
        request,
        stream: false,
        timeoutMs: 60_000,
        signal: controller.signal,
      }),
    )
    controller.abort()
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(seen?.aborted).toBe(true)
  })

  it('yields text and tool-call starts from a stream and returns the finish response', async () => {
    const parts: ChatStreamPart[] = [
      { type: 'text-delta', delta: 'h' },
      { type: 'tool-call-start', index: 0, id: 'c1', name: 'time.now' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
      { type: 'finish', response: RESPONSE },
    ]
    const model: ChatModel = {
      ...deaf,
      async *stream() {
        yield* parts
      },
    }
    const { seen, response } = await drain(
      new DirectModelCaller().call({ model, request, stream: true, timeoutMs: 1000 }),
    )
    expect(seen.map((part) => part.type)).toEqual(['text-delta', 'tool-call-start'])
    expect(response).toBe(RESPONSE)
  })

  it('reports a stream that ends without a finish part', async () => {
    const model: ChatModel = {
      ...deaf,
      async *stream() {
        yield { type: 'text-delta', delta: 'h' } as ChatStreamPart
      },
    }
    await expect(
      drain(new DirectModelCaller().call({ model, request, stream: true, timeoutMs: 1000 })),
    ).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
    })
  })
})

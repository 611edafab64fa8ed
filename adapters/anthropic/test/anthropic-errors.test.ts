import type { ChatRequest, ChatStreamPart, CompanyId } from '@agentry/contracts'
import { expectCoreError } from '@agentry/contracts/testing'
import { APIError } from '@anthropic-ai/sdk'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type AnthropicReplay,
  jsonFixture,
  PLATFORM_KEY,
  startAnthropicReplay,
  streamFixture,
} from './replay.js'

const REQUEST: ChatRequest = { messages: [{ role: 'user', content: 'Hello' }] }

let replay: AnthropicReplay

afterEach(async () => {
  await replay?.close()
})

async function drain(parts: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
  const collected: ChatStreamPart[] = []
  for await (const part of parts) collected.push(part)
  return collected
}

/** Anthropic's documented error body. */
function errorBody(type: string, message: string) {
  return { type: 'error', error: { type, message }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' }
}

describe('Anthropic errors, translated at the boundary', () => {
  it('401: UNAUTHENTICATED naming ANTHROPIC_API_KEY and the company secret, never the key', async () => {
    replay = await startAnthropicReplay()
    replay.server.enqueue({ status: 401, body: errorBody('authentication_error', 'invalid x-api-key') })
    const error = await expectCoreError(replay.provider.chatModel().generate(REQUEST), 'UNAUTHENTICATED')

    expect(error.message).toBe(
      "Anthropic rejected the API key: set ANTHROPIC_API_KEY or the company's `anthropic` secret.",
    )
    expect(error.cause).toBeInstanceOf(APIError)
    expect(error.isRetryable).toBe(false)
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(PLATFORM_KEY)
    expect(replay.server.requests).toHaveLength(1)
  })

  it("403 on a company's key: UNAUTHENTICATED naming the company secret", async () => {
    replay = await startAnthropicReplay({}, { resolveApiKey: async () => 'sk-ant-company' })
    replay.server.enqueue({
      status: 403,
      body: errorBody(
        'permission_error',
        'Your API key does not have permission to use the specified resource.',
      ),
    })
    const model = await replay.provider.resolve({
      companyId: 'c1' as CompanyId,
      provider: 'anthropic',
      model: '',
    })
    const error = await expectCoreError(model.generate(REQUEST), 'UNAUTHENTICATED')
    expect(error.message).toBe(
      "Anthropic rejected the company's API key: update the company's `anthropic` secret.",
    )
  })

  it('429 with retry-after: RATE_LIMITED with retryAfterMs, retryable, and no retry by the SDK', async () => {
    replay = await startAnthropicReplay()
    replay.server.enqueue({
      status: 429,
      headers: { 'retry-after': '7' },
      body: errorBody('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'),
    })
    const error = await expectCoreError(drain(replay.provider.chatModel().stream(REQUEST)), 'RATE_LIMITED')
    expect(error.retryAfterMs).toBe(7000)
    expect(error.isRetryable).toBe(true)
    expect(replay.server.requests).toHaveLength(1)
  })

  it('529 overloaded: UNAVAILABLE, retryable', async () => {
    replay = await startAnthropicReplay()
    replay.server.enqueue({ status: 529, body: errorBody('overloaded_error', 'Overloaded') })
    const error = await expectCoreError(replay.provider.chatModel().generate(REQUEST), 'UNAVAILABLE')
    expect(error.isRetryable).toBe(true)
    expect(error.message).toBe('Anthropic is overloaded: Overloaded. Try again shortly.')
    expect(replay.server.requests).toHaveLength(1)
  })

  it('an overloaded_error event in the middle of a stream: UNAVAILABLE', async () => {
    replay = await startAnthropicReplay()
    replay.server.enqueue({
      chunks: [
        ...streamFixture('anthropic-stream-text.events.jsonl').slice(0, 4),
        `event: error\ndata: ${JSON.stringify(errorBody('overloaded_error', 'Overloaded'))}\n\n`,
      ],
    })
    await expectCoreError(drain(replay.provider.chatModel().stream(REQUEST)), 'UNAVAILABLE')
  })

  it('500 then 200: UNAVAILABLE for the first call, the next call succeeds', async () => {
    replay = await startAnthropicReplay()
    replay.server.enqueue(
      { status: 500, body: errorBody('api_error', 'Internal server error') },
      { body: jsonFixture('anthropic-text.json') },
    )
    const model = replay.provider.chatModel()
    await expectCoreError(model.generate(REQUEST), 'UNAVAILABLE')
    expect(replay.server.requests).toHaveLength(1)
    expect((await model.generate(REQUEST)).finishReason).toBe('stop')
  })

  it('a hung response with a client timeout: TIMEOUT, retryable', async () => {
    replay = await startAnthropicReplay({ timeoutMs: 150 })
    replay.server.enqueue({ fault: 'hang' }, { fault: 'hang' })
    const error = await expectCoreError(replay.provider.chatModel().generate(REQUEST), 'TIMEOUT')
    expect(error.isRetryable).toBe(true)
    expect(error.message).toBe('Anthropic did not answer within 150 ms.')
    await expectCoreError(drain(replay.provider.chatModel().stream(REQUEST)), 'TIMEOUT')
  })

  it('abort while waiting, or in the middle of a stream: CANCELLED', async () => {
    replay = await startAnthropicReplay()
    const [first, ...rest] = streamFixture('anthropic-stream-text.events.jsonl')
    replay.server.enqueue(
      { fault: 'hang' },
      { chunks: [first ?? '', ...rest.map((text) => ({ text, delayMs: 20 }))] },
    )
    const waiting = new AbortController()
    const pending = replay.provider.chatModel().generate(REQUEST, { signal: waiting.signal })
    await replay.server.waitForRequests(1)
    waiting.abort()
    await expectCoreError(pending, 'CANCELLED')

    const streaming = new AbortController()
    const seen: string[] = []
    const consume = async () => {
      for await (const part of replay.provider.chatModel().stream(REQUEST, { signal: streaming.signal })) {
        seen.push(part.type)
        streaming.abort()
      }
    }
    await expectCoreError(consume(), 'CANCELLED')
    expect(seen).toEqual(['text-delta'])
  })

  it('a dropped connection, before or in the middle of a stream: UNAVAILABLE', async () => {
    replay = await startAnthropicReplay()
    replay.server.enqueue(
      { fault: 'drop' },
      { chunks: streamFixture('anthropic-stream-text.events.jsonl').slice(0, 4), fault: 'drop' },
      { chunks: streamFixture('anthropic-stream-text.events.jsonl').slice(0, 4) },
    )
    await expectCoreError(replay.provider.chatModel().generate(REQUEST), 'UNAVAILABLE')
    await expectCoreError(drain(replay.provider.chatModel().stream(REQUEST)), 'UNAVAILABLE')
    const cut = await expectCoreError(drain(replay.provider.chatModel().stream(REQUEST)), 'UNAVAILABLE')
    expect(cut.message).toBe('Anthropic ended the stream before it finished: try again.')
  })

  it('400 prompt is too long: CONTEXT_LENGTH_EXCEEDED', async () => {
    replay = await startAnthropicReplay()
    replay.server.enqueue({
      status: 400,
      body: errorBody('invalid_request_error', 'prompt is too long: 208310 tokens > 200000 maximum'),
    })
    const error = await expectCoreError(
      replay.provider.chatModel().generate(REQUEST),
      'CONTEXT_LENGTH_EXCEEDED',
    )
    expect(error.message).toContain('208310 tokens > 200000 maximum')
    expect(error.isRetryable).toBe(false)
  })

  it('400 output blocked by content filtering: CONTENT_FILTERED', async () => {
    replay = await startAnthropicReplay()
    replay.server.enqueue({
      status: 400,
      body: errorBody('invalid_request_error', 'Output blocked by content filtering policy'),
    })
    await expectCoreError(replay.provider.chatModel().generate(REQUEST), 'CONTENT_FILTERED')
  })

  it('other 4xx: INVALID_INPUT (bad request, unknown model, request too large); 402 billing: not retryable', async () => {
    replay = await startAnthropicReplay()
    replay.server.enqueue(
      { status: 400, body: errorBody('invalid_request_error', 'messages: at least one message is required') },
      { status: 404, body: errorBody('not_found_error', 'model: claude-9') },
      {
        status: 413,
        body: errorBody('request_too_large', 'Request exceeds the maximum allowed number of bytes.'),
      },
      { status: 402, body: errorBody('billing_error', 'Your credit balance is too low.') },
    )
    const model = replay.provider.chatModel()
    const invalid = await expectCoreError(model.generate(REQUEST), 'INVALID_INPUT')
    expect(invalid.message).toBe('Anthropic rejected the request: messages: at least one message is required')
    const missing = await expectCoreError(model.generate(REQUEST), 'INVALID_INPUT')
    expect(missing.details).toMatchObject({
      provider: 'anthropic',
      status: 404,
      providerCode: 'not_found_error',
    })
    await expectCoreError(model.generate(REQUEST), 'INVALID_INPUT')
    const billing = await expectCoreError(model.generate(REQUEST), 'UPSTREAM_ERROR')
    expect(billing.isRetryable).toBe(false)
  })
})

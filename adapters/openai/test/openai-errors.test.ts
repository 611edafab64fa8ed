import type { ChatRequest, ChatStreamPart } from '@agentry/contracts'
import { expectCoreError } from '@agentry/contracts/testing'
import { APIError } from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { jsonFixture, type OpenAIReplay, PLATFORM_KEY, startOpenAIReplay, streamFixture } from './replay.js'

const REQUEST: ChatRequest = { messages: [{ role: 'user', content: 'Hello' }] }

let replay: OpenAIReplay

afterEach(async () => {
  await replay?.close()
})

async function drain(parts: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
  const collected: ChatStreamPart[] = []
  for await (const part of parts) collected.push(part)
  return collected
}

/** OpenAI's documented error body. */
function errorBody(message: string, type: string, code: string | null, param: string | null = null) {
  return { error: { message, type, param, code } }
}

describe('OpenAI errors, translated at the boundary', () => {
  it('401: UNAUTHENTICATED naming the platform setting and the company secret, never the key', async () => {
    replay = await startOpenAIReplay()
    replay.server.enqueue({
      status: 401,
      body: errorBody(
        'Incorrect API key provided: sk-platf*****-key. You can find your API key at https://platform.openai.com/account/api-keys.',
        'invalid_request_error',
        'invalid_api_key',
      ),
    })
    const error = await expectCoreError(replay.provider.chatModel().generate(REQUEST), 'UNAUTHENTICATED')

    expect(error.message).toBe(
      "OpenAI rejected the API key: set OPENAI_API_KEY or the company's `openai` secret.",
    )
    expect(error.isRetryable).toBe(false)
    expect(error.cause).toBeInstanceOf(APIError)
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(PLATFORM_KEY)
    expect(replay.server.requests).toHaveLength(1)
  })

  it('403 on a company key: UNAUTHENTICATED naming the company secret', async () => {
    replay = await startOpenAIReplay({}, { resolveApiKey: async () => 'sk-company-key' })
    replay.server.enqueue({
      status: 403,
      body: errorBody('Project does not have access', 'invalid_request_error', null),
    })
    const model = await replay.provider.resolve({
      companyId: 'c1' as never,
      provider: 'openai',
      model: 'gpt-4o',
    })
    const error = await expectCoreError(model.generate(REQUEST), 'UNAUTHENTICATED')
    expect(error.message).toBe("OpenAI rejected the company's API key: update the company's `openai` secret.")
  })

  it('429 with retry-after: RATE_LIMITED with retryAfterMs, retryable, and no retry by the SDK', async () => {
    replay = await startOpenAIReplay()
    replay.server.enqueue({
      status: 429,
      headers: { 'retry-after': '2' },
      body: errorBody(
        'Rate limit reached for gpt-4o on requests per min (RPM).',
        'requests',
        'rate_limit_exceeded',
      ),
    })
    const error = await expectCoreError(replay.provider.chatModel().generate(REQUEST), 'RATE_LIMITED')
    expect(error.retryAfterMs).toBe(2000)
    expect(error.isRetryable).toBe(true)
    expect(error.message).toContain('Rate limit reached for gpt-4o')
    expect(replay.server.requests).toHaveLength(1)
  })

  it('429 with retry-after-ms on a stream: the exact milliseconds', async () => {
    replay = await startOpenAIReplay()
    replay.server.enqueue({
      status: 429,
      headers: { 'retry-after-ms': '1250', 'retry-after': '2' },
      body: errorBody('Rate limit reached', 'tokens', 'rate_limit_exceeded'),
    })
    const error = await expectCoreError(drain(replay.provider.chatModel().stream(REQUEST)), 'RATE_LIMITED')
    expect(error.retryAfterMs).toBe(1250)
  })

  it('429 insufficient_quota: not retryable, telling to check billing', async () => {
    replay = await startOpenAIReplay()
    replay.server.enqueue({
      status: 429,
      body: errorBody('You exceeded your current quota.', 'insufficient_quota', 'insufficient_quota'),
    })
    const error = await expectCoreError(replay.provider.chatModel().generate(REQUEST), 'UPSTREAM_ERROR')
    expect(error.isRetryable).toBe(false)
    expect(error.message).toContain('billing')
  })

  it('500 then 200: UNAVAILABLE (retryable) for the first call, the next call succeeds', async () => {
    replay = await startOpenAIReplay()
    replay.server.enqueue(
      {
        status: 500,
        body: errorBody('The server had an error while processing your request.', 'server_error', null),
      },
      { body: jsonFixture('openai-text.json') },
    )
    const model = replay.provider.chatModel()
    const error = await expectCoreError(model.generate(REQUEST), 'UNAVAILABLE')
    expect(error.isRetryable).toBe(true)
    expect(replay.server.requests).toHaveLength(1)
    expect((await model.generate(REQUEST)).finishReason).toBe('stop')
    expect(replay.server.requests).toHaveLength(2)
  })

  it('a hung response with a client timeout: TIMEOUT, retryable', async () => {
    replay = await startOpenAIReplay({ timeoutMs: 150 })
    replay.server.enqueue({ fault: 'hang' }, { fault: 'hang' })
    const error = await expectCoreError(replay.provider.chatModel().generate(REQUEST), 'TIMEOUT')
    expect(error.isRetryable).toBe(true)
    expect(error.message).toBe('OpenAI did not answer within 150 ms.')
    await expectCoreError(drain(replay.provider.chatModel().stream(REQUEST)), 'TIMEOUT')
  })

  it('abort while waiting for a hung response: CANCELLED', async () => {
    replay = await startOpenAIReplay()
    replay.server.enqueue({ fault: 'hang' })
    const controller = new AbortController()
    const pending = replay.provider.chatModel().generate(REQUEST, { signal: controller.signal })
    await replay.server.waitForRequests(1)
    controller.abort()
    const error = await expectCoreError(pending, 'CANCELLED')
    expect(error.isRetryable).toBe(false)
  })

  it('abort in the middle of a stream: CANCELLED, no finish', async () => {
    replay = await startOpenAIReplay()
    const [first, ...rest] = streamFixture('openai-stream-text.sse')
    replay.server.enqueue({ chunks: [first ?? '', ...rest.map((text) => ({ text, delayMs: 20 }))] })
    const controller = new AbortController()
    const seen: string[] = []
    const consume = async () => {
      for await (const part of replay.provider.chatModel().stream(REQUEST, { signal: controller.signal })) {
        seen.push(part.type)
        if (seen.length === 2) controller.abort()
      }
    }
    await expectCoreError(consume(), 'CANCELLED')
    expect(seen).not.toContain('finish')
  })

  it('a dropped connection, before or in the middle of a stream: UNAVAILABLE', async () => {
    replay = await startOpenAIReplay()
    replay.server.enqueue(
      { fault: 'drop' },
      { chunks: streamFixture('openai-stream-text.sse').slice(0, 5), fault: 'drop' },
    )
    await expectCoreError(replay.provider.chatModel().generate(REQUEST), 'UNAVAILABLE')
    const error = await expectCoreError(drain(replay.provider.chatModel().stream(REQUEST)), 'UNAVAILABLE')
    expect(error.isRetryable).toBe(true)
  })

  it('a stream that ends without a finish reason: UNAVAILABLE', async () => {
    replay = await startOpenAIReplay()
    replay.server.enqueue({ chunks: streamFixture('openai-stream-text.sse').slice(0, 5) })
    const error = await expectCoreError(drain(replay.provider.chatModel().stream(REQUEST)), 'UNAVAILABLE')
    expect(error.message).toBe('OpenAI ended the stream before it finished: try again.')
  })

  it('an error event inside a stream: translated, not swallowed', async () => {
    replay = await startOpenAIReplay()
    replay.server.enqueue({
      chunks: [
        ...streamFixture('openai-stream-text.sse').slice(0, 3),
        `data: ${JSON.stringify(errorBody('The server had an error while processing your request.', 'server_error', null))}\n\n`,
      ],
    })
    await expectCoreError(drain(replay.provider.chatModel().stream(REQUEST)), 'UNAVAILABLE')
  })

  it('400 context_length_exceeded: CONTEXT_LENGTH_EXCEEDED', async () => {
    replay = await startOpenAIReplay()
    replay.server.enqueue({
      status: 400,
      body: errorBody(
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 130125 tokens. Please reduce the length of the messages.",
        'invalid_request_error',
        'context_length_exceeded',
        'messages',
      ),
    })
    const error = await expectCoreError(
      replay.provider.chatModel().generate(REQUEST),
      'CONTEXT_LENGTH_EXCEEDED',
    )
    expect(error.isRetryable).toBe(false)
    expect(error.message).toContain('maximum context length is 128000 tokens')
  })

  it('400 content_filter (Azure OpenAI): CONTENT_FILTERED', async () => {
    replay = await startOpenAIReplay({ provider: 'azure-openai' })
    replay.server.enqueue({
      status: 400,
      body: errorBody(
        "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
        'invalid_request_error',
        'content_filter',
        'prompt',
      ),
    })
    await expectCoreError(replay.provider.chatModel().generate(REQUEST), 'CONTENT_FILTERED')
  })

  it('other 4xx: INVALID_INPUT with the provider message (400, 404 unknown model)', async () => {
    replay = await startOpenAIReplay()
    replay.server.enqueue(
      {
        status: 400,
        body: errorBody("Invalid value for 'temperature'.", 'invalid_request_error', null, 'temperature'),
      },
      {
        status: 404,
        body: errorBody(
          'The model `gpt-9` does not exist or you do not have access to it.',
          'invalid_request_error',
          'model_not_found',
        ),
      },
    )
    const invalid = await expectCoreError(replay.provider.chatModel().generate(REQUEST), 'INVALID_INPUT')
    expect(invalid.message).toBe("OpenAI rejected the request: Invalid value for 'temperature'.")
    const missing = await expectCoreError(
      replay.provider.chatModel('gpt-9').generate(REQUEST),
      'INVALID_INPUT',
    )
    expect(missing.message).toContain('The model `gpt-9` does not exist')
    expect(missing.details).toMatchObject({
      provider: 'openai',
      status: 404,
      providerCode: 'model_not_found',
    })
  })
})

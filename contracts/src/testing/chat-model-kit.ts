import { describe, expect, it } from 'vitest'
import type { ChatModel, ChatRequest, ChatStreamPart } from '../ports/chat-model.js'
import {
  collectStream,
  expectAgreement,
  expectCancelled,
  expectUsableToolCalls,
  expectWellFormedResponse,
  expectWellOrderedStream,
} from './chat-model-kit-checks.js'
import type { KitSkip } from './kit-options.js'
import { kitTest } from './kit-test.js'

export const CHAT_MODEL_SCENARIOS = [
  'text',
  'toolCall',
  'parallelToolCalls',
  'length',
  'refusal',
  'json',
] as const

/** A situation the kit puts the model in; each test uses one. */
export type ChatModelScenario = (typeof CHAT_MODEL_SCENARIOS)[number]

/**
 * The request the kit sends for each scenario, and what the model must answer. Give the ones the
 * adapter can produce; the tests of a missing scenario are skipped with the reason in their title.
 */
export interface ChatModelKitScenarios {
  /** A plain question: the model answers with text (several stream deltas), finishReason `stop`. */
  readonly text?: ChatRequest
  /** Offers `tools` and gets one tool call: finishReason `tool-calls`, arguments a JSON object. */
  readonly toolCall?: ChatRequest
  /** Offers `tools` and gets two or more tool calls in one reply. */
  readonly parallelToolCalls?: ChatRequest
  /** Sets a small `maxOutputTokens` the reply runs into: finishReason `length`. */
  readonly length?: ChatRequest
  /** Gets a refusal: finishReason `refusal` with the refusal text. */
  readonly refusal?: ChatRequest
  /** Sets `responseFormat` json: the content parses as JSON. */
  readonly json?: ChatRequest
}

/** What `create` is told, so a replay adapter can load the matching recording. */
export interface ChatModelKitCall {
  readonly scenario: ChatModelScenario
  /** The method the test calls: a replay server answers JSON for `generate`, an event stream for `stream`. */
  readonly mode: 'generate' | 'stream'
  /** The scenario's request, as given in `scenarios`. */
  readonly request: ChatRequest
}

/**
 * How an adapter runs `describeChatModel`.
 *
 * Every test calls `create` for a fresh model prepared for one scenario and one call mode (a replay
 * adapter points its SDK at a local server loaded with the recording for `call.scenario` and
 * `call.mode`; a scripted model can ignore `call`), runs one call, then `cleanup`. The abort tests
 * use the `text` scenario; the already-aborted ones must fail before any request leaves.
 */
export interface ChatModelKitOptions {
  /** Shown in the describe block, e.g. `OpenAIChatModel (replay)`. */
  readonly name: string
  readonly scenarios: ChatModelKitScenarios
  readonly create: (call: ChatModelKitCall) => Promise<ChatModel> | ChatModel
  readonly cleanup?: (model: ChatModel, call: ChatModelKitCall) => Promise<void> | void
  /**
   * True when `generate` and `stream` give the same reply for the same scenario (a scripted model, or
   * recordings made to match): the agreement tests then compare content, arguments and usage exactly.
   * Otherwise they compare finish reason and tool names only. Default false.
   */
  readonly isDeterministic?: boolean
  /** Tests the adapter cannot pass, by exact title, with the reason. */
  readonly skip?: readonly KitSkip[]
}

/** The conformance kit of the `ChatModel` port. */
export function describeChatModel(options: ChatModelKitOptions): void {
  const isDeterministic = options.isDeterministic ?? false

  function scenarioTest(
    scenario: ChatModelScenario,
    title: string,
    fn: (request: ChatRequest) => Promise<void>,
    label: string = scenario,
  ): void {
    const fullTitle = `${label}: ${title}`
    const request = options.scenarios[scenario]
    if (request) kitTest(options.skip, fullTitle, () => fn(request))
    else it.skip(`${fullTitle} (skipped: no \`${scenario}\` scenario given)`, () => {})
  }

  async function withModel<T>(
    scenario: ChatModelScenario,
    mode: 'generate' | 'stream',
    request: ChatRequest,
    fn: (model: ChatModel) => Promise<T>,
  ): Promise<T> {
    const call: ChatModelKitCall = { scenario, mode, request }
    const model = await options.create(call)
    try {
      return await fn(model)
    } finally {
      await options.cleanup?.(model, call)
    }
  }

  const generate = (scenario: ChatModelScenario, request: ChatRequest) =>
    withModel(scenario, 'generate', request, (model) => model.generate(request))
  const stream = (scenario: ChatModelScenario, request: ChatRequest) =>
    withModel(scenario, 'stream', request, async (model) =>
      expectWellOrderedStream(await collectStream(model, request)),
    )

  describe(`ChatModel kit: ${options.name}`, () => {
    kitTest(options.skip, 'declares its provider and model id', async () => {
      const scenario = CHAT_MODEL_SCENARIOS.find((name) => options.scenarios[name] !== undefined)
      const request = scenario === undefined ? undefined : options.scenarios[scenario]
      if (scenario === undefined || request === undefined) {
        throw new Error('describeChatModel needs at least one scenario')
      }
      await withModel(scenario, 'generate', request, async (model) => {
        expect(model.provider).toMatch(/^[a-z0-9-]+$/)
        expect(model.modelId.length).toBeGreaterThan(0)
      })
    })

    scenarioTest(
      'text',
      'generate returns text with finishReason stop and no tool calls',
      async (request) => {
        const response = await generate('text', request)
        expectWellFormedResponse(response)
        expect(response.finishReason).toBe('stop')
        expect(response.content.trim().length).toBeGreaterThan(0)
        expect(response.toolCalls).toEqual([])
        expect(response.usage.outputTokens, 'text costs output tokens').toBeGreaterThan(0)
      },
    )

    scenarioTest(
      'text',
      'stream yields several text deltas, then exactly one finish, last',
      async (request) => {
        const parts: ChatStreamPart[] = await withModel('text', 'stream', request, (model) =>
          collectStream(model, request),
        )
        const response = expectWellOrderedStream(parts)
        expect(response.finishReason).toBe('stop')
        expect(parts.filter((part) => part.type === 'text-delta').length).toBeGreaterThan(1)
      },
    )

    scenarioTest('text', 'generate and stream agree', async (request) => {
      expectAgreement(await generate('text', request), await stream('text', request), isDeterministic)
    })

    scenarioTest(
      'toolCall',
      'generate returns tool calls with ids, offered names and object arguments, finishReason tool-calls',
      async (request) => {
        const response = await generate('toolCall', request)
        expectWellFormedResponse(response)
        expectUsableToolCalls(response, request)
      },
    )

    scenarioTest(
      'toolCall',
      'stream starts each tool call before its deltas and the deltas concatenate to its arguments',
      async (request) => {
        const response = await stream('toolCall', request)
        expectUsableToolCalls(response, request)
      },
    )

    scenarioTest('toolCall', 'generate and stream agree', async (request) => {
      expectAgreement(await generate('toolCall', request), await stream('toolCall', request), isDeterministic)
    })

    scenarioTest(
      'parallelToolCalls',
      'generate returns several tool calls with distinct ids',
      async (request) => {
        const response = await generate('parallelToolCalls', request)
        expectWellFormedResponse(response)
        expectUsableToolCalls(response, request)
        expect(response.toolCalls.length).toBeGreaterThan(1)
      },
    )

    scenarioTest(
      'parallelToolCalls',
      'stream carries every tool call of the finish response',
      async (request) => {
        const response = await stream('parallelToolCalls', request)
        expectUsableToolCalls(response, request)
        expect(response.toolCalls.length).toBeGreaterThan(1)
      },
    )

    scenarioTest(
      'length',
      'generate stops with finishReason length within maxOutputTokens',
      async (request) => {
        const response = await generate('length', request)
        expectWellFormedResponse(response)
        expect(response.finishReason).toBe('length')
        expect(response.usage.outputTokens).toBeGreaterThan(0)
        if (request.maxOutputTokens !== undefined) {
          expect(response.usage.outputTokens).toBeLessThanOrEqual(request.maxOutputTokens)
        }
      },
    )

    scenarioTest('length', 'stream finishes with finishReason length', async (request) => {
      expect((await stream('length', request)).finishReason).toBe('length')
    })

    scenarioTest(
      'refusal',
      'generate returns finishReason refusal with the refusal text',
      async (request) => {
        const response = await generate('refusal', request)
        expectWellFormedResponse(response)
        expect(response.finishReason).toBe('refusal')
        expect(response.refusal?.trim().length).toBeGreaterThan(0)
        expect(response.toolCalls).toEqual([])
      },
    )

    scenarioTest('refusal', 'stream finishes with the refusal', async (request) => {
      const response = await stream('refusal', request)
      expect(response.finishReason).toBe('refusal')
      expect(response.refusal?.trim().length).toBeGreaterThan(0)
    })

    scenarioTest('json', 'generate returns content that parses as JSON', async (request) => {
      const response = await generate('json', request)
      expectWellFormedResponse(response)
      expect(response.finishReason).toBe('stop')
      expect(() => JSON.parse(response.content)).not.toThrow()
    })

    scenarioTest('json', 'stream text deltas concatenate to JSON content', async (request) => {
      const response = await stream('json', request)
      expect(() => JSON.parse(response.content)).not.toThrow()
    })

    scenarioTest(
      'text',
      'generate rejects with CANCELLED when the signal is already aborted',
      async (request) => {
        await withModel('text', 'generate', request, async (model) => {
          await expectCancelled(model.generate(request, { signal: AbortSignal.abort() }))
        })
      },
      'abort',
    )

    scenarioTest(
      'text',
      'stream throws CANCELLED when the signal is already aborted',
      async (request) => {
        await withModel('text', 'stream', request, async (model) => {
          await expectCancelled(collectStream(model, request, { signal: AbortSignal.abort() }))
        })
      },
      'abort',
    )

    scenarioTest(
      'text',
      'stream aborted after its first part throws CANCELLED and yields no finish',
      async (request) => {
        await withModel('text', 'stream', request, async (model) => {
          const controller = new AbortController()
          const seen: string[] = []
          const consume = async () => {
            for await (const part of model.stream(request, { signal: controller.signal })) {
              seen.push(part.type)
              controller.abort()
            }
          }
          await expectCancelled(consume())
          expect(seen[0], 'the first part is not the finish (the text scenario streams deltas)').not.toBe(
            'finish',
          )
          expect(seen, 'no finish after the abort').not.toContain('finish')
        })
      },
      'abort',
    )
  })
}

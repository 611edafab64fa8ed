/** One metric the core emits through the `Metrics` port (a telemetry adapter declares it from this). */
export interface CoreMetricDefinition {
  readonly name: string
  readonly type: 'counter' | 'histogram' | 'gauge'
  readonly help: string
  readonly labelNames: readonly string[]
  readonly buckets?: readonly number[]
}

/** Fixed metric names of the core (docs/operations.md lists them with the host's). */
export const CORE_METRIC = {
  turns: 'agentry_turns_total',
  turnDuration: 'agentry_turn_duration_seconds',
  modelCalls: 'agentry_model_calls_total',
  modelCallDuration: 'agentry_model_call_duration_seconds',
  modelTokens: 'agentry_model_tokens_total',
  toolCalls: 'agentry_tool_calls_total',
  toolCallDuration: 'agentry_tool_call_duration_seconds',
  retrievalDuration: 'agentry_retrieval_duration_seconds',
} as const

/** Fixed span names of the core: one per turn, model call, tool call and retrieval. */
export const CORE_SPAN = {
  turn: 'agentry.turn',
  modelCall: 'agentry.model.call',
  toolCall: 'agentry.tool.call',
  retrieval: 'agentry.retrieval',
} as const

/** Model calls take seconds; tools and retrieval milliseconds to seconds. */
const MODEL_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 80]
const FAST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

/** Every metric the core emits, with its labels. Labels stay low-cardinality: no ids. */
export const CORE_METRICS: readonly CoreMetricDefinition[] = [
  {
    name: CORE_METRIC.turns,
    type: 'counter',
    help: 'Turns by outcome (replied, tool-limit-reached, ..., failed) and, for failed turns, the error code.',
    labelNames: ['outcome', 'code'],
  },
  {
    name: CORE_METRIC.turnDuration,
    type: 'histogram',
    help: 'Wall time of a turn from turn-start to its end (retrieval, model and tool calls, storing), in seconds.',
    labelNames: ['outcome'],
    buckets: MODEL_BUCKETS,
  },
  {
    name: CORE_METRIC.modelCalls,
    type: 'counter',
    help: 'Model calls (each attempt, retries included) by provider, model and outcome (ok or the error code).',
    labelNames: ['provider', 'model', 'outcome'],
  },
  {
    name: CORE_METRIC.modelCallDuration,
    type: 'histogram',
    help: 'Latency of one model call (to the end of the stream when streaming), in seconds.',
    labelNames: ['provider', 'model', 'outcome'],
    buckets: MODEL_BUCKETS,
  },
  {
    name: CORE_METRIC.modelTokens,
    type: 'counter',
    help: 'Tokens the models reported, by provider, model and direction (input, output, cached).',
    labelNames: ['provider', 'model', 'direction'],
  },
  {
    name: CORE_METRIC.toolCalls,
    type: 'counter',
    help: 'Tool calls by tool and status (ok, error, timeout, denied, invalid-arguments, skipped).',
    labelNames: ['tool', 'status'],
  },
  {
    name: CORE_METRIC.toolCallDuration,
    type: 'histogram',
    help: 'Latency of one tool call (validation, policies and execution), in seconds.',
    labelNames: ['tool', 'status'],
    buckets: FAST_BUCKETS,
  },
  {
    name: CORE_METRIC.retrievalDuration,
    type: 'histogram',
    help: 'Latency of knowledge retrieval for a turn, by mode and outcome (ok or the error code), in seconds.',
    labelNames: ['mode', 'outcome'],
    buckets: FAST_BUCKETS,
  },
]

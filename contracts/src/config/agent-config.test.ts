import { describe, expect, it } from 'vitest'
import { CoreError } from '../errors/core-error.js'
import { agentConfigJsonSchema, parseAgentConfig } from './agent-config.js'

describe('parseAgentConfig', () => {
  it('fills every default from a system prompt alone', () => {
    const config = parseAgentConfig({ systemPrompt: 'You help.' })
    expect(config.systemPrompt).toBe('You help.')
    expect(config.model).toMatchObject({ provider: 'local', name: 'scripted', maxOutputTokens: 1024 })
    expect(config.memory).toEqual({ maxMessages: 20, maxTokens: 8000 })
    expect(config.tools).toMatchObject({ allow: [], maxCallsPerTurn: 8, maxLoops: 6 })
    expect(config.output).toEqual({ type: 'text' })
  })

  it('names every bad field at once', () => {
    let caught: unknown
    try {
      parseAgentConfig({ model: { maxOutputTokens: 0 }, tools: { allow: ['lookup'] }, colour: 'red' })
    } catch (error) {
      caught = error
    }
    expect(CoreError.hasCode(caught, 'INVALID_INPUT')).toBe(true)
    const issues = (caught as CoreError).details?.issues as { path: string }[]
    expect(issues.map((issue) => issue.path).sort()).toEqual(['', 'model.maxOutputTokens', 'tools.allow.0'])
    expect((caught as CoreError).message).toContain('namespace.name')
  })

  it('accepts a JSON output schema', () => {
    const config = parseAgentConfig({ output: { type: 'json', schema: { type: 'object' } } })
    expect(config.output).toEqual({ type: 'json', name: 'output', schema: { type: 'object' } })
  })

  it('exports a JSON Schema in which every field is optional', () => {
    const schema = agentConfigJsonSchema() as { required?: string[]; properties: Record<string, unknown> }
    expect(schema.required ?? []).toEqual([])
    expect(Object.keys(schema.properties)).toContain('systemPrompt')
  })
})

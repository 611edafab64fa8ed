import { CoreError } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { createMemory, parseMemoryConfig } from './create-memory.js'

describe('createMemory', () => {
  it('fills every default from an empty config', () => {
    expect(parseMemoryConfig()).toEqual({
      vectorDimensions: 512,
      queue: { closeGraceMs: 10_000, maxFinishedJobs: 10_000 },
      keywordIndex: { k1: 1.2, b: 0.75 },
    })
  })

  it('reports every bad field at once as INVALID_INPUT', () => {
    let thrown: unknown
    try {
      parseMemoryConfig({ vectorDimensions: 0, queue: { closeGraceMs: -1 }, unknown: true } as never)
    } catch (error) {
      thrown = error
    }
    expect(CoreError.hasCode(thrown, 'INVALID_INPUT')).toBe(true)
    const issues = ((thrown as CoreError).details?.issues ?? []) as { path: string }[]
    const paths = issues.map((issue) => issue.path)
    expect(paths).toEqual(expect.arrayContaining(['vectorDimensions', 'queue.closeGraceMs', '']))
  })

  it('builds working adapters from the config and closes them once', async () => {
    const memory = createMemory({ vectorDimensions: 16 })
    expect(memory.vectorStore.dimensions).toBe(16)
    expect(await memory.stores.ping()).toBe(true)
    const job = await memory.queue.enqueue({ kind: 'noop', companyId: null, payload: null })
    expect(job.status).toBe('waiting')
    await Promise.all([memory.close(), memory.close()])
    await expect(memory.queue.enqueue({ kind: 'noop', companyId: null, payload: null })).rejects.toThrow(
      /closed/,
    )
  })
})

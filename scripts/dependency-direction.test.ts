import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: plain ESM module without type declarations
import { checkSource, checkTree, layerOf } from './dependency-direction.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

describe('dependency direction', () => {
  it('holds for the whole tree', () => {
    expect(checkTree(root)).toEqual([])
  })

  it('refuses a vendor SDK, a driver or fastify in contracts and core', () => {
    for (const specifier of [
      'openai',
      'pg',
      'kysely',
      'ioredis',
      'fastify',
      '@anthropic-ai/sdk',
      '@agentry/memory',
    ]) {
      const problems = checkSource('packages/core/src/orchestrator.ts', `import x from '${specifier}'\n`)
      expect(problems, specifier).toHaveLength(1)
      expect(problems[0].problem).toContain(`must not import "${specifier}"`)
    }
    expect(checkSource('contracts/src/x.ts', "import type { Pool } from 'pg'")).toHaveLength(1)
    expect(checkSource('contracts/src/x.ts', "const m = await import('kysely')")).toHaveLength(1)
  })

  it('refuses environment reads in contracts, core and adapters', () => {
    expect(checkSource('packages/core/src/a.ts', 'const key = process.env.OPENAI_API_KEY')).toHaveLength(1)
    expect(checkSource('adapters/openai/src/a.ts', "const key = process['env'].X")).toHaveLength(1)
  })

  it('refuses an adapter that imports the core or the host', () => {
    expect(checkSource('adapters/postgres/src/a.ts', "import { x } from '@agentry/core'")).toHaveLength(1)
    expect(
      checkSource('adapters/postgres/src/a.ts', "import { x } from '@agentry/host/internal'"),
    ).toHaveLength(1)
    expect(checkSource('adapters/postgres/src/a.ts', "import { x } from '@agentry/contracts'")).toEqual([])
  })

  it('lets the core testing entry import vitest, but still no adapter', () => {
    expect(checkSource('packages/core/src/testing/suite.ts', "import { it } from 'vitest'")).toEqual([])
    expect(
      checkSource('packages/core/src/testing/suite.ts', "import { x } from '@agentry/memory'"),
    ).toHaveLength(1)
    expect(checkSource('packages/core/src/orchestrator.ts', "import { it } from 'vitest'")).toHaveLength(1)
  })

  it('lets tests and the host import what they need', () => {
    expect(layerOf('packages/core/src/orchestrator.test.ts')).toBeNull()
    expect(layerOf('apps/host/src/compose.ts')).toBeNull()
    expect(
      checkSource('packages/core/src/a.ts', "import { z } from 'zod'\nimport { x } from './b.js'"),
    ).toEqual([])
  })
})

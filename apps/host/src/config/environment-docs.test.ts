import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ENVIRONMENT_VARIABLES } from './load-config.js'

const root = new URL('../../../../', import.meta.url)
const example = readFileSync(new URL('.env.example', root), 'utf8')
const docs = readFileSync(new URL('docs/configuration.md', root), 'utf8')

/** `NAME=value` lines of .env.example, commented out or not. */
const exampleNames = example
  .split('\n')
  .map((line) => /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
  .filter((name): name is string => name !== undefined)

describe('the environment is documented', () => {
  it('.env.example lists exactly the variables loadConfig reads, each once', () => {
    expect([...exampleNames].sort()).toEqual([...ENVIRONMENT_VARIABLES].sort())
  })

  it('docs/configuration.md has a table row for every variable', () => {
    for (const name of ENVIRONMENT_VARIABLES) {
      expect(docs, name).toMatch(new RegExp(`^\\| \`${name}\`\\s+\\|`, 'm'))
    }
  })
})

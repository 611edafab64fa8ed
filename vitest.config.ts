import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { defineConfig } from 'vitest/config'

/**
 * One vitest process runs every package as a project.
 * AGENTRY_TEST_MODE: `unit` (default, no services needed), `int` (only *.int.test.ts, needs
 * scripts/services.sh), `all` (both).
 */
const mode = process.env.AGENTRY_TEST_MODE ?? 'unit'
const sourceCondition = '@agentry/source'

const packageDirs = ['contracts', 'packages', 'adapters', 'apps', 'examples'].flatMap((group) => {
  if (group === 'contracts') return ['contracts']
  if (!existsSync(group)) return []
  return readdirSync(group, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(group, entry.name, 'package.json')))
    .map((entry) => join(group, entry.name))
})

const patterns = ['src/**/*.test.ts', 'test/**/*.test.ts']
const intPatterns = ['src/**/*.int.test.ts', 'test/**/*.int.test.ts']

export default defineConfig({
  resolve: { conditions: [sourceCondition, 'module', 'node', 'default'] },
  ssr: { resolve: { conditions: [sourceCondition, 'module', 'node', 'default'] } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'repo', root: '.', include: mode === 'int' ? [] : ['scripts/**/*.test.ts'] },
      },
      ...packageDirs.map((dir) => ({
        extends: true,
        test: {
          name: dir === 'contracts' ? 'contracts' : dir.split('/')[1],
          root: dir,
          include: mode === 'int' ? intPatterns : patterns,
          exclude:
            mode === 'unit'
              ? ['**/node_modules/**', '**/dist/**', ...intPatterns]
              : ['**/node_modules/**', '**/dist/**'],
          testTimeout: 30_000,
          passWithNoTests: true,
          hookTimeout: 60_000,
        },
      })),
    ],
  },
})

// Dependencies point inward: apps -> adapters -> contracts, apps -> core -> contracts.
// This module finds imports and environment reads that break that rule. It runs in `npm test`
// (dependency-direction.test.ts) and as `npm run check:deps`.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import ts from 'typescript'

/** Packages each layer may import from outside itself (besides `node:` built-ins and relative files). */
export const LAYER_RULES = {
  contracts: { allow: ['zod', 'vitest'], env: false },
  core: {
    allow: ['@agentry/contracts', 'zod', 'ajv', 'ajv-formats', 'ajv/dist/2020.js', 'cockatiel'],
    env: false,
  },
  adapter: { deny: ['@agentry/core', '@agentry/host'], env: false },
}
// `@agentry/core/testing` (shared test suites that other adapters run) may also import vitest.
LAYER_RULES.coreTesting = { allow: [...LAYER_RULES.core.allow, 'vitest'], env: false }

const TEST_FILE = /\.(test|bench)\.ts$|\/test\/|\/bench\//

/** Which layer a repo-relative source file belongs to, or null when no rule applies. */
export function layerOf(path) {
  const parts = path.split(/[\\/]/)
  if (TEST_FILE.test(path) || !path.endsWith('.ts') || path.endsWith('.d.ts')) return null
  if (parts[0] === 'contracts' && parts[1] === 'src' && parts[2] !== 'testing') return 'contracts'
  if (parts[0] === 'packages' && parts[1] === 'core' && parts[2] === 'src') {
    return parts[3] === 'testing' ? 'coreTesting' : 'core'
  }
  if (parts[0] === 'adapters' && parts[2] === 'src') return 'adapter'
  return null
}

function packageName(specifier) {
  if (specifier.startsWith('@')) return specifier.split('/').slice(0, 2).join('/')
  return specifier.split('/')[0]
}

function importsOf(text) {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName)
}

/** Problems in one file's text: `{ path, problem }` for each bad import or environment read. */
export function checkSource(path, text) {
  const layer = layerOf(path)
  if (!layer) return []
  const rule = LAYER_RULES[layer]
  const problems = []
  for (const specifier of importsOf(text)) {
    if (specifier.startsWith('.') || specifier.startsWith('node:')) continue
    const name = packageName(specifier)
    if (rule.allow && !rule.allow.includes(specifier) && !rule.allow.includes(name)) {
      problems.push({
        path,
        problem: `${layer} must not import "${specifier}" (allowed: ${rule.allow.join(', ')})`,
      })
    }
    if (rule.deny?.includes(name)) {
      problems.push({
        path,
        problem: `an adapter must not import "${specifier}": adapters implement ports from @agentry/contracts`,
      })
    }
  }
  if (!rule.env && /process\s*(\.\s*env|\[\s*['"]env['"]\s*\])/.test(text)) {
    problems.push({
      path,
      problem: `${layer} must not read process.env: the host parses the environment once (loadConfig)`,
    })
  }
  return problems
}

function* walk(dir) {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue
    const full = join(dir, entry)
    if (statSync(full).isDirectory()) yield* walk(full)
    else yield full
  }
}

/** Checks every source file under `root`. */
export function checkTree(root) {
  const problems = []
  for (const top of ['contracts', 'packages', 'adapters']) {
    let files
    try {
      files = [...walk(join(root, top))]
    } catch {
      continue
    }
    for (const file of files) {
      const path = relative(root, file).split(sep).join('/')
      if (layerOf(path)) problems.push(...checkSource(path, readFileSync(file, 'utf8')))
    }
  }
  return problems
}

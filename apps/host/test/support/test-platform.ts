import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { type Composition, compose } from '../../src/compose.js'
import { loadConfig } from '../../src/config/load-config.js'
import { createTestDatabase, TEST_REDIS_URL, testRedisPrefix } from './test-database.js'

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef'

export interface TestPlatform {
  readonly app: FastifyInstance
  readonly composition: Composition
  readonly dataDir: string
  close(): Promise<void>
}

/**
 * The platform as `agentry start` composes it (embedded PGlite in a temp directory unless
 * `DATABASE_URL` is given), behind `buildApp`, for `app.inject()`. One per test file.
 */
export async function startTestPlatform(
  environment: Record<string, string> = {},
  onClose: () => Promise<void> = async () => undefined,
): Promise<TestPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentry-host-'))
  const config = loadConfig({
    AGENTRY_DATA_DIR: dataDir,
    AGENTRY_ADMIN_TOKEN: ADMIN_TOKEN,
    AGENTRY_LOG_LEVEL: 'silent',
    AGENTRY_MIGRATE_ON_START: 'true',
    ...environment,
  })
  const composition = await compose(config)
  const app = await buildApp(composition)
  return {
    app,
    composition,
    dataDir,
    close: async () => {
      await app.close()
      await composition.close()
      await onClose()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** The platform on PostgreSQL (a fresh database of its own) and Redis, as the distributed mode runs. */
export async function startDistributedTestPlatform(
  environment: Record<string, string> = {},
): Promise<TestPlatform> {
  const database = await createTestDatabase()
  try {
    return await startTestPlatform(
      {
        DATABASE_URL: database.url,
        REDIS_URL: TEST_REDIS_URL,
        AGENTRY_REDIS_PREFIX: testRedisPrefix(),
        AGENTRY_JWT_SECRET: 'integration-test-secret-0123456789abcdef',
        ...environment,
      },
      () => database.drop(),
    )
  } catch (error) {
    await database.drop()
    throw error
  }
}

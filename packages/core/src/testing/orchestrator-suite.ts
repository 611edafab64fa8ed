import type { Stores } from '@agentry/contracts'
import { kitTest } from '@agentry/contracts/testing'
import { afterAll, afterEach, beforeAll, describe } from 'vitest'
import {
  createOrchestratorHarness,
  type OrchestratorHarness,
  type OrchestratorSuiteOptions,
} from './orchestrator-harness.js'
import { describeTurnBasics } from './suite-turn-basics.js'
import { describeTurnGuarantees } from './suite-turn-guarantees.js'
import { describeTurnOutput } from './suite-turn-output.js'
import { describeTurnTools } from './suite-turn-tools.js'

export type SuiteTest = (title: string, fn: () => Promise<void>) => void
export type SuiteSetup = () => Promise<OrchestratorHarness>

/**
 * The orchestrator's behaviour on a set of stores: the memory adapter runs it in core's tests, and
 * storage adapters (Postgres on PGlite and on a server) run it to prove a turn behaves the same on
 * them. Each test makes its own company on the shared stores.
 */
export function describeOrchestrator(options: OrchestratorSuiteOptions): void {
  describe(`Orchestrator on ${options.name}`, () => {
    let stores: Stores | undefined
    const open: OrchestratorHarness[] = []
    beforeAll(async () => {
      stores = await options.createStores()
    })
    afterAll(async () => {
      if (stores) await options.cleanup?.(stores)
    })
    afterEach(async () => {
      await Promise.all(open.splice(0).map((harness) => harness.close()))
    })
    const setup: SuiteSetup = async () => {
      if (!stores) throw new Error('createStores did not run')
      const harness = await createOrchestratorHarness(options, stores)
      open.push(harness)
      return harness
    }
    const test: SuiteTest = (title, fn) => kitTest(options.skip, title, fn)
    describeTurnBasics(test, setup)
    describeTurnTools(test, setup)
    describeTurnOutput(test, setup)
    describeTurnGuarantees(test, setup)
  })
}

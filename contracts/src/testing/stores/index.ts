import { afterAll, beforeAll, describe } from 'vitest'
import type { Stores } from '../../ports/stores/stores.js'
import type { KitOptions } from '../kit-options.js'
import { kitTest } from '../kit-test.js'
import { describeAgentStore } from './agent-store-kit.js'
import { describeApiKeyStore } from './api-key-store-kit.js'
import { describeAuditLogStore } from './audit-log-store-kit.js'
import { describeBillingPeriods } from './billing-period-kit.js'
import { describeBillingStores } from './billing-store-kit.js'
import { describeChunkStore } from './chunk-store-kit.js'
import { describeKnowledgeStores } from './knowledge-store-kit.js'
import { describeSecretStore } from './secret-store-kit.js'
import { describeSessionStore } from './session-store-kit.js'
import { describeStoreConventions } from './store-conventions-kit.js'
import type { StoreKit } from './store-kit-context.js'
import { describeTenancyStores } from './tenancy-store-kit.js'
import { describeToolStores } from './tool-store-kit.js'
import { describeTurnStore } from './turn-store-kit.js'
import { describeUsageStore } from './usage-store-kit.js'

/**
 * The contract of every repository in `Stores`, per the TSDoc of `ports/stores/`. Designed for a
 * shared database: `create` is called once for the kit, every test makes its own companies with
 * fresh ids (price books use plans of their own), so tests never see each other's rows and the
 * kit can run against a database that already holds data. Each store area includes tenant
 * isolation cases: what company A wrote is invisible and unchangeable under company B's scope.
 * Titles start with the area (`agents: ...`); skip a test by its full title.
 */
export function describeStores(options: KitOptions<Stores>): void {
  let subject: Stores | undefined
  const kit: StoreKit = {
    stores: () => {
      if (!subject) throw new Error('describeStores: create() has not finished')
      return subject
    },
    test: (title, fn) => kitTest(options.skip, title, fn),
  }

  describe(`Stores conformance: ${options.name}`, () => {
    beforeAll(async () => {
      subject = await options.create()
    })
    afterAll(async () => {
      if (!subject) return
      if (options.cleanup) await options.cleanup(subject)
      else await subject.close()
    })

    describeTenancyStores(kit)
    describeApiKeyStore(kit)
    describeAgentStore(kit)
    describeTurnStore(kit)
    describeSessionStore(kit)
    describeKnowledgeStores(kit)
    describeChunkStore(kit)
    describeToolStores(kit)
    describeSecretStore(kit)
    describeUsageStore(kit)
    describeBillingStores(kit)
    describeBillingPeriods(kit)
    describeAuditLogStore(kit)
    describeStoreConventions(kit)
  })
}

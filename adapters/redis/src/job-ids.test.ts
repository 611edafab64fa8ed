import { type CompanyId, isUuid } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { idempotentJobId } from './job-ids.js'

const company = '0190f3a2-7b1c-7d2e-8f30-1234567890ab' as CompanyId

describe('idempotentJobId', () => {
  it('is the same UUID (version 5) for the same kind, company and key, in any process', () => {
    const id = idempotentJobId('kb.index', company, 'document-7')
    expect(id).toBe(idempotentJobId('kb.index', company, 'document-7'))
    expect(isUuid(id)).toBe(true)
    expect(id[14]).toBe('5')
  })

  it('differs when the kind, the company or the key differs', () => {
    const ids = new Set([
      idempotentJobId('kb.index', company, 'k'),
      idempotentJobId('kb.reindex', company, 'k'),
      idempotentJobId('kb.index', null, 'k'),
      idempotentJobId('kb.index', company, 'k2'),
    ])
    expect(ids.size).toBe(4)
  })

  it('cannot be forged by moving text between the parts', () => {
    expect(idempotentJobId('a', null, 'b:c')).not.toBe(idempotentJobId('a:b', null, 'c'))
  })
})

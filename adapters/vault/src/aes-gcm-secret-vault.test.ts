import { randomBytes } from 'node:crypto'
import { type CompanyId, CoreError } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { createSecretVault } from './create-vault.js'

const key = () => randomBytes(32).toString('base64')
const acme = { companyId: '0193a000-0000-7000-8000-000000000001' as CompanyId, name: 'crm-token' }
const globex = { companyId: '0193a000-0000-7000-8000-000000000002' as CompanyId, name: 'crm-token' }

describe('AesGcmSecretVault', () => {
  it('round-trips a value and never stores it readable', async () => {
    const vault = createSecretVault({ keys: [{ id: 'k1', key: key() }] })
    const sealed = await vault.encrypt('sk-live-1234567890', acme)
    expect(sealed.keyId).toBe('k1')
    expect(Buffer.from(sealed.ciphertext, 'base64').toString('latin1')).not.toContain('sk-live')
    expect(await vault.decrypt(sealed, acme)).toBe('sk-live-1234567890')
  })

  it('uses a new nonce every time', async () => {
    const vault = createSecretVault({ keys: [{ id: 'k1', key: key() }] })
    const first = await vault.encrypt('same', acme)
    const second = await vault.encrypt('same', acme)
    expect(first.ciphertext).not.toBe(second.ciphertext)
  })

  it('refuses a ciphertext moved to another company or name, or altered, without leaking it', async () => {
    const vault = createSecretVault({ keys: [{ id: 'k1', key: key() }] })
    const sealed = await vault.encrypt('sk-live-abc', acme)
    for (const context of [globex, { ...acme, name: 'other' }]) {
      const error = await vault.decrypt(sealed, context).catch((caught: unknown) => caught)
      expect(CoreError.hasCode(error, 'INTERNAL')).toBe(true)
      expect((error as Error).message).not.toContain('sk-live')
    }
    const bytes = Buffer.from(sealed.ciphertext, 'base64')
    bytes[14] = (bytes[14] ?? 0) ^ 1
    await expect(vault.decrypt({ ...sealed, ciphertext: bytes.toString('base64') }, acme)).rejects.toSatisfy(
      (error) => CoreError.hasCode(error, 'INTERNAL'),
    )
  })

  it('decrypts with an old key after rotation and encrypts with the current one', async () => {
    const oldKey = key()
    const before = createSecretVault({ keys: [{ id: 'k1', key: oldKey }] })
    const sealed = await before.encrypt('token', acme)
    const after = createSecretVault({
      keys: [
        { id: 'k1', key: oldKey },
        { id: 'k2', key: key() },
      ],
      currentKeyId: 'k2',
    })
    expect(after.currentKeyId).toBe('k2')
    expect(await after.decrypt(sealed, acme)).toBe('token')
    expect((await after.encrypt('token', acme)).keyId).toBe('k2')
  })

  it('says which key is missing', async () => {
    const vault = createSecretVault({ keys: [{ id: 'k2', key: key() }] })
    const error = await vault
      .decrypt({ keyId: 'k1', ciphertext: 'AAAA' }, acme)
      .catch((caught: unknown) => caught)
    expect((error as Error).message).toContain('"k1"')
  })

  it('validates its configuration', () => {
    expect(() => createSecretVault({ keys: [{ id: 'k1', key: 'c2hvcnQ=' }] })).toThrow('32 bytes')
    expect(() => createSecretVault({ keys: [{ id: 'k1', key: key() }], currentKeyId: 'k9' })).toThrow(
      'currentKeyId',
    )
    expect(() => createSecretVault({ keys: [] })).toThrow('at least one')
  })
})

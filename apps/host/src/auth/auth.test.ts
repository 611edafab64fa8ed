import { CoreError } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { Argon2PasswordHasher } from './argon2-password-hasher.js'
import { UserTokens } from './jwt.js'

describe('Argon2PasswordHasher', () => {
  const hasher = new Argon2PasswordHasher()

  it('hashes with argon2id and verifies only the right password', async () => {
    const hashed = await hasher.hash('correct horse battery staple')
    expect(hashed).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(hashed).not.toContain('correct horse')
    expect(await hasher.verify(hashed, 'correct horse battery staple')).toBe(true)
    expect(await hasher.verify(hashed, 'Correct horse battery staple')).toBe(false)
  })

  it('answers false for a malformed hash instead of throwing', async () => {
    expect(await hasher.verify('not-a-hash', 'x')).toBe(false)
  })
})

describe('UserTokens', () => {
  const secret = 'a'.repeat(40)

  it('round-trips user and company', async () => {
    const tokens = new UserTokens(secret)
    const { token, expiresAt } = await tokens.issue({ userId: 'u1', companyId: 'c1' })
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now())
    expect(await tokens.verify(token)).toEqual({ userId: 'u1', companyId: 'c1' })
  })

  it('rejects a token signed with another secret, a tampered one and an expired one', async () => {
    const { token } = await new UserTokens('b'.repeat(40)).issue({ userId: 'u1', companyId: 'c1' })
    await expect(new UserTokens(secret).verify(token)).rejects.toSatisfy((error) =>
      CoreError.hasCode(error, 'UNAUTHENTICATED'),
    )
    const { token: good } = await new UserTokens(secret).issue({ userId: 'u1', companyId: 'c1' })
    const [header, , signature] = good.split('.')
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: 'u2', cid: 'c2' })).toString('base64url')}.${signature}`
    await expect(new UserTokens(secret).verify(forged)).rejects.toSatisfy((error) =>
      CoreError.hasCode(error, 'UNAUTHENTICATED'),
    )
    const { token: old } = await new UserTokens(secret, -10).issue({ userId: 'u1', companyId: 'c1' })
    await expect(new UserTokens(secret).verify(old)).rejects.toThrow('expired')
  })
})

import { CoreError } from '@agentry/contracts'
import { errors, jwtVerify, SignJWT } from 'jose'

const ISSUER = 'agentry'
const AUDIENCE = 'agentry-api'

export interface UserClaims {
  readonly userId: string
  readonly companyId: string
}

/** Short-lived HS256 tokens for Studio users; the subject is the user, the tenant a claim. */
export class UserTokens {
  private readonly key: Uint8Array

  constructor(
    secret: string,
    private readonly lifetimeSeconds = 3600,
  ) {
    this.key = new TextEncoder().encode(secret)
  }

  async issue(claims: UserClaims): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(Date.now() + this.lifetimeSeconds * 1000)
    const token = await new SignJWT({ cid: claims.companyId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key)
    return { token, expiresAt }
  }

  /** Throws UNAUTHENTICATED for a bad signature, an expired token or missing claims. */
  async verify(token: string): Promise<UserClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      })
      if (typeof payload.sub !== 'string' || typeof payload.cid !== 'string') {
        throw new CoreError('UNAUTHENTICATED', 'The token lacks its subject or company: log in again')
      }
      return { userId: payload.sub, companyId: payload.cid }
    } catch (error) {
      if (CoreError.isInstance(error)) throw error
      const expired = error instanceof errors.JWTExpired
      throw new CoreError(
        'UNAUTHENTICATED',
        expired ? 'The token has expired: log in again' : 'The token is not valid',
        {
          cause: error,
        },
      )
    }
  }
}

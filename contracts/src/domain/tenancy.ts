import type { ApiKeyId, CompanyId, UserId } from '../ids.js'

export interface Company {
  readonly id: CompanyId
  readonly name: string
  /** The billing plan whose price book applies (see `PriceBook.planId`). */
  readonly planId: string
  readonly status: 'active' | 'suspended'
  readonly createdAt: Date
  readonly updatedAt: Date
}

export const ROLES = ['admin', 'operator', 'viewer'] as const
export type Role = (typeof ROLES)[number]

export interface User {
  readonly id: UserId
  readonly companyId: CompanyId
  /** Lowercased; unique within a company. */
  readonly email: string
  readonly name: string
  readonly role: Role
  /** A memory-hard hash (argon2id, PHC string). Never leaves the service layer. */
  readonly passwordHash: string
  readonly status: 'active' | 'disabled'
  readonly createdAt: Date
  readonly updatedAt: Date
}

export interface ApiKey {
  readonly id: ApiKeyId
  readonly companyId: CompanyId
  readonly name: string
  /** Shown in lists and used to find the key; unique across the platform. */
  readonly prefix: string
  /** SHA-256 (hex) of the whole key. The key itself is shown once and never stored. */
  readonly hash: string
  readonly permissions: readonly Permission[]
  readonly expiresAt: Date | null
  readonly revokedAt: Date | null
  readonly lastUsedAt: Date | null
  readonly createdBy: string | null
  readonly createdAt: Date
}

export const PERMISSIONS = [
  'agents:view',
  'agents:manage',
  'chat:send',
  'sessions:view',
  'kb:view',
  'kb:manage',
  'tools:view',
  'tools:manage',
  'billing:view',
  'billing:manage',
  'keys:manage',
  'users:manage',
  'audit:view',
] as const
export type Permission = (typeof PERMISSIONS)[number]

/** What each role may do. API keys carry an explicit subset chosen when they are made. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  operator: [
    'agents:view',
    'agents:manage',
    'chat:send',
    'sessions:view',
    'kb:view',
    'kb:manage',
    'tools:view',
    'tools:manage',
    'billing:view',
  ],
  viewer: ['agents:view', 'sessions:view', 'kb:view', 'tools:view', 'billing:view'],
}

/** Who is acting. Services check permissions on it and write it into the audit log. */
export type Actor =
  | {
      readonly type: 'user'
      readonly userId: UserId
      readonly companyId: CompanyId
      readonly role: Role
      readonly permissions: readonly Permission[]
    }
  | {
      readonly type: 'api-key'
      readonly apiKeyId: ApiKeyId
      readonly companyId: CompanyId
      readonly permissions: readonly Permission[]
    }
  | { readonly type: 'platform-admin' }
  | { readonly type: 'system'; readonly reason: string }

import type { Company } from '@agentry/contracts'
import { PERMISSIONS, ROLES } from '@agentry/contracts'
import type { ApiKeyView, UserView } from '@agentry/core'
import { z } from 'zod'
import { iso, isoOrNull, Timestamp } from '../http/api-schemas.js'

export const CompanySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    planId: z.string(),
    status: z.enum(['active', 'suspended']),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Company' })

export const PermissionSchema = z.enum(PERMISSIONS)

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().describe('Shown in lists; the key itself is shown once, at creation.'),
    permissions: z.array(PermissionSchema),
    expiresAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
    lastUsedAt: Timestamp.nullable(),
    createdBy: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'ApiKey' })

export const UserSchema = z
  .object({
    id: z.string(),
    companyId: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    status: z.enum(['active', 'disabled']),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'User' })

export function companyToWire(company: Company): z.input<typeof CompanySchema> {
  return {
    id: company.id,
    name: company.name,
    planId: company.planId,
    status: company.status,
    createdAt: iso(company.createdAt),
    updatedAt: iso(company.updatedAt),
  }
}

export function apiKeyToWire(key: ApiKeyView): z.input<typeof ApiKeySchema> {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    permissions: [...key.permissions],
    expiresAt: isoOrNull(key.expiresAt),
    revokedAt: isoOrNull(key.revokedAt),
    lastUsedAt: isoOrNull(key.lastUsedAt),
    createdBy: key.createdBy,
    createdAt: iso(key.createdAt),
  }
}

export function userToWire(user: UserView): z.input<typeof UserSchema> {
  return {
    id: user.id,
    companyId: user.companyId,
    email: user.email,
    name: user.name,
    role: user.role,
    status: user.status,
    createdAt: iso(user.createdAt),
    updatedAt: iso(user.updatedAt),
  }
}

import type { ApiKey, ApiKeyId, Company, CompanyId, Permission, User, UserId } from '@agentry/contracts'
import type { Insertable } from 'kysely'
import type { ApiKeysTable, CompaniesTable, UsersTable } from '../database-schema.js'
import { json, type Row, toDate, toNullableDate } from './row-values.js'

export function toCompany(row: Row<CompaniesTable>): Company {
  return {
    id: row.id as CompanyId,
    name: row.name,
    planId: row.plan_id,
    status: row.status as Company['status'],
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  }
}

export function companyRow(company: Company): Insertable<CompaniesTable> {
  return {
    id: company.id,
    name: company.name,
    plan_id: company.planId,
    status: company.status,
    created_at: company.createdAt,
    updated_at: company.updatedAt,
  }
}

export function toUser(row: Row<UsersTable>): User {
  return {
    id: row.id as UserId,
    companyId: row.company_id as CompanyId,
    email: row.email,
    name: row.name,
    role: row.role as User['role'],
    passwordHash: row.password_hash,
    status: row.status as User['status'],
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  }
}

export function userRow(user: User): Insertable<UsersTable> {
  return {
    company_id: user.companyId,
    id: user.id,
    email: user.email.toLowerCase(),
    name: user.name,
    role: user.role,
    password_hash: user.passwordHash,
    status: user.status,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  }
}

export function toApiKey(row: Row<ApiKeysTable>): ApiKey {
  return {
    id: row.id as ApiKeyId,
    companyId: row.company_id as CompanyId,
    name: row.name,
    prefix: row.prefix,
    hash: row.hash,
    permissions: row.permissions as Permission[],
    expiresAt: toNullableDate(row.expires_at),
    revokedAt: toNullableDate(row.revoked_at),
    lastUsedAt: toNullableDate(row.last_used_at),
    createdBy: row.created_by,
    createdAt: toDate(row.created_at),
  }
}

export function apiKeyRow(key: ApiKey): Insertable<ApiKeysTable> {
  return {
    company_id: key.companyId,
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    hash: key.hash,
    permissions: json(key.permissions),
    expires_at: key.expiresAt,
    revoked_at: key.revokedAt,
    last_used_at: key.lastUsedAt,
    created_by: key.createdBy,
    created_at: key.createdAt,
  }
}

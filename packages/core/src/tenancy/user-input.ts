import type { Actor, Role, User } from '@agentry/contracts'
import { CoreError, ROLE_PERMISSIONS, ROLES } from '@agentry/contracts'

/** A user as services return it: never the password hash. */
export type UserView = Omit<User, 'passwordHash'>

export interface CreateUserInput {
  readonly email: string
  readonly name: string
  readonly role: Role
  readonly password: string
}

export interface UpdateUserInput {
  readonly name?: string
  readonly role?: Role
  readonly password?: string
}

export interface LoginResult {
  readonly actor: Actor
  readonly user: UserView
}

export const MIN_PASSWORD_LENGTH = 10
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function toUserView(user: User): UserView {
  const { passwordHash: _passwordHash, ...view } = user
  return view
}

export function actorForUser(user: User): Actor {
  return {
    type: 'user',
    userId: user.id,
    companyId: user.companyId,
    role: user.role,
    permissions: ROLE_PERMISSIONS[user.role],
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

export function validateProfile(input: { readonly name?: string; readonly role?: Role }) {
  const issues: { path: string; message: string }[] = []
  if (input.name !== undefined && (input.name.trim().length === 0 || input.name.length > 200)) {
    issues.push({ path: 'name', message: 'must be 1 to 200 characters' })
  }
  if (input.role !== undefined && !(ROLES as readonly string[]).includes(input.role)) {
    issues.push({ path: 'role', message: `must be one of ${ROLES.join(', ')}` })
  }
  return issues
}

export function validatePassword(password: string) {
  return password.length < MIN_PASSWORD_LENGTH || password.length > 1024
    ? [{ path: 'password', message: `must be ${MIN_PASSWORD_LENGTH} to 1024 characters` }]
    : []
}

export function throwIssues(what: string, issues: readonly { path: string; message: string }[]): void {
  if (issues.length === 0) return
  throw new CoreError(
    'INVALID_INPUT',
    `${what} is invalid: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    {
      details: { issues },
    },
  )
}

import type {
  Actor,
  CallOptions,
  Clock,
  CompanyId,
  IdGenerator,
  Page,
  PageRequest,
  PasswordHasher,
  Stores,
  User,
  UserId,
} from '@agentry/contracts'
import { CoreError, ROLE_PERMISSIONS, systemScope, tenantScope } from '@agentry/contracts'
import type { AuditRecorder } from '../audit/audit-recorder.js'
import type { RequestContext } from '../request-context.js'
import { requirePermission, requireSubsetOfActor, scopeOf } from './permissions.js'
import {
  actorForUser,
  type CreateUserInput,
  EMAIL_PATTERN,
  type LoginResult,
  normalizeEmail,
  throwIssues,
  toUserView,
  type UpdateUserInput,
  type UserView,
  validatePassword,
  validateProfile,
} from './user-input.js'

export type { CreateUserInput, LoginResult, UpdateUserInput, UserView } from './user-input.js'
export { actorForUser, MIN_PASSWORD_LENGTH, normalizeEmail, toUserView } from './user-input.js'

const LOGIN_FAILED = 'Email or password is wrong.'

/** Studio users: roles, passwords (through the PasswordHasher port), login. */
export class UserService {
  readonly #stores: Pick<Stores, 'users'>
  readonly #hasher: PasswordHasher
  readonly #audit: AuditRecorder
  readonly #clock: Clock
  readonly #ids: IdGenerator
  #dummyHash: Promise<string> | null = null

  constructor(
    stores: Pick<Stores, 'users'>,
    hasher: PasswordHasher,
    audit: AuditRecorder,
    clock: Clock,
    ids: IdGenerator,
  ) {
    this.#stores = stores
    this.#hasher = hasher
    this.#audit = audit
    this.#clock = clock
    this.#ids = ids
  }

  async create(context: RequestContext, input: CreateUserInput, options?: CallOptions): Promise<UserView> {
    requirePermission(context.actor, 'users:manage')
    const scope = scopeOf(context)
    const email = normalizeEmail(input.email)
    const issues = [
      ...validateProfile({ name: input.name, role: input.role }),
      ...validatePassword(input.password),
    ]
    if (!EMAIL_PATTERN.test(email)) issues.push({ path: 'email', message: 'must be an email address' })
    throwIssues('User', issues)
    requireSubsetOfActor(context.actor, ROLE_PERMISSIONS[input.role], `the ${input.role} role's`)
    const now = this.#clock.now()
    const user = await this.#stores.users.create(
      scope,
      {
        id: this.#ids.next() as UserId,
        companyId: scope.companyId,
        email,
        name: input.name.trim(),
        role: input.role,
        passwordHash: await this.#hasher.hash(input.password),
        status: 'active',
        createdAt: now,
        updatedAt: now,
      },
      options,
    )
    await this.#audit.record(
      scope,
      context,
      {
        action: 'user.create',
        resourceType: 'user',
        resourceId: user.id,
        details: { email, role: user.role },
      },
      options,
    )
    return toUserView(user)
  }

  async get(context: RequestContext, id: UserId, options?: CallOptions): Promise<UserView> {
    requirePermission(context.actor, 'users:manage')
    const user = await this.#stores.users.get(scopeOf(context), id, options)
    if (!user) throw notFound(id)
    return toUserView(user)
  }

  async list(context: RequestContext, page?: PageRequest, options?: CallOptions): Promise<Page<UserView>> {
    requirePermission(context.actor, 'users:manage')
    const result = await this.#stores.users.list(scopeOf(context), page, options)
    return { items: result.items.map(toUserView), nextCursor: result.nextCursor }
  }

  async update(
    context: RequestContext,
    id: UserId,
    input: UpdateUserInput,
    options?: CallOptions,
  ): Promise<UserView> {
    requirePermission(context.actor, 'users:manage')
    const issues = validateProfile(input)
    if (input.password !== undefined) issues.push(...validatePassword(input.password))
    throwIssues('User', issues)
    if (input.role)
      requireSubsetOfActor(context.actor, ROLE_PERMISSIONS[input.role], `the ${input.role} role's`)
    const user = await this.#patch(
      context,
      id,
      {
        ...(input.name === undefined ? {} : { name: input.name.trim() }),
        ...(input.role === undefined ? {} : { role: input.role }),
        ...(input.password === undefined ? {} : { passwordHash: await this.#hasher.hash(input.password) }),
      },
      options,
    )
    await this.#audit.record(
      scopeOf(context),
      context,
      {
        action: 'user.update',
        resourceType: 'user',
        resourceId: id,
        details: {
          fields: Object.keys(input).filter((key) => input[key as keyof UpdateUserInput] !== undefined),
          ...(input.role === undefined ? {} : { role: input.role }),
        },
      },
      options,
    )
    return user
  }

  /** A disabled user cannot log in; their audit history stays. */
  async setStatus(
    context: RequestContext,
    id: UserId,
    status: User['status'],
    options?: CallOptions,
  ): Promise<UserView> {
    requirePermission(context.actor, 'users:manage')
    if (status === 'disabled' && context.actor.type === 'user' && context.actor.userId === id) {
      throw new CoreError('CONFLICT', 'You cannot disable yourself: ask another admin.')
    }
    const user = await this.#patch(context, id, { status }, options)
    await this.#audit.record(
      scopeOf(context),
      context,
      {
        action: status === 'disabled' ? 'user.disable' : 'user.enable',
        resourceType: 'user',
        resourceId: id,
      },
      options,
    )
    return user
  }

  async delete(context: RequestContext, id: UserId, options?: CallOptions): Promise<void> {
    requirePermission(context.actor, 'users:manage')
    const scope = scopeOf(context)
    if (!(await this.#stores.users.delete(scope, id, options))) throw notFound(id)
    await this.#audit.record(
      scope,
      context,
      { action: 'user.delete', resourceType: 'user', resourceId: id },
      options,
    )
  }

  /**
   * Checks a password. `companyId` picks the company when the email belongs to several; without
   * it, a password valid in more than one company is `INVALID_INPUT` asking for the company.
   * Wrong email or password: `UNAUTHENTICATED`, the same message for both.
   */
  async login(
    email: string,
    password: string,
    companyId?: CompanyId,
    options?: CallOptions,
  ): Promise<LoginResult> {
    const users = await this.#stores.users.findByEmail(
      systemScope('user login'),
      normalizeEmail(email),
      options,
    )
    const candidates = users.filter(
      (user) => user.status === 'active' && (companyId === undefined || user.companyId === companyId),
    )
    if (candidates.length === 0) {
      // Spend the same effort as a real check, so timing does not tell which emails exist.
      await this.#hasher.verify(await this.#dummy(), password)
      throw new CoreError('UNAUTHENTICATED', LOGIN_FAILED)
    }
    const matches: User[] = []
    for (const user of candidates) {
      if (await this.#hasher.verify(user.passwordHash, password)) matches.push(user)
    }
    const [user, ...others] = matches
    if (!user) throw new CoreError('UNAUTHENTICATED', LOGIN_FAILED)
    if (others.length > 0) {
      throw new CoreError(
        'INVALID_INPUT',
        'This email belongs to several companies: pass companyId to choose one.',
        {
          details: { companyIds: matches.map((match) => match.companyId) },
        },
      )
    }
    return { actor: actorForUser(user), user: toUserView(user) }
  }

  /** The current actor for a user id from a session token: refuses disabled or deleted users. */
  async actorFor(companyId: CompanyId, id: UserId, options?: CallOptions): Promise<Actor> {
    const user = await this.#stores.users.get(tenantScope(companyId), id, options)
    if (user?.status !== 'active') {
      throw new CoreError('UNAUTHENTICATED', 'This user no longer exists or was disabled: log in again.')
    }
    return actorForUser(user)
  }

  async #patch(
    context: RequestContext,
    id: UserId,
    patch: Partial<Pick<User, 'name' | 'role' | 'status' | 'passwordHash'>>,
    options?: CallOptions,
  ): Promise<UserView> {
    const user = await this.#stores.users.update(
      scopeOf(context),
      id,
      { ...patch, updatedAt: this.#clock.now() },
      options,
    )
    if (!user) throw notFound(id)
    return toUserView(user)
  }

  #dummy(): Promise<string> {
    this.#dummyHash ??= this.#hasher.hash('agentry-no-such-user-password')
    return this.#dummyHash
  }
}

function notFound(id: UserId): CoreError {
  return new CoreError('NOT_FOUND', `User ${id} not found in this company.`)
}

import type { Actor, CompanyId, Permission, Role } from '@agentry/contracts'
import { PERMISSIONS, ROLE_PERMISSIONS, tenantScope } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { actorForUser, hasPermission, requirePermission, scopeOf } from '../src/index.js'
import { createTestWorld, PLATFORM } from './helpers.js'

async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => null,
    (reason: unknown) => reason as { code: string; message: string; details?: Record<string, unknown> },
  )
}

const PASSWORD = 'correct horse battery'

describe('users', () => {
  it('creates users with hashed passwords and lowercased emails, and logs them in', async () => {
    const world = createTestWorld()
    const { context, companyId } = await world.company()
    const user = await world.agentry.users.create(context, {
      email: '  Ada@Example.COM ',
      name: 'Ada',
      role: 'operator',
      password: PASSWORD,
    })
    expect(user.email).toBe('ada@example.com')
    expect(user).not.toHaveProperty('passwordHash')
    const stored = await world.stores.users.get(tenantScope(companyId as CompanyId), user.id)
    expect(stored?.passwordHash).not.toContain(PASSWORD)
    const login = await world.agentry.users.login('ADA@example.com', PASSWORD)
    expect(login.actor).toEqual({
      type: 'user',
      userId: user.id,
      companyId,
      role: 'operator',
      permissions: ROLE_PERMISSIONS.operator,
    })
    expect(login.user.email).toBe('ada@example.com')
    const audit = await world.stores.audit.list(tenantScope(companyId as CompanyId), {
      action: 'user.create',
    })
    expect(audit.items).toMatchObject([
      { resourceId: user.id, details: { email: 'ada@example.com', role: 'operator' } },
    ])
  })

  it('refuses a wrong password, an unknown email and a disabled user with the same message', async () => {
    const world = createTestWorld()
    const { context } = await world.company()
    const user = await world.agentry.users.create(context, {
      email: 'bob@example.com',
      name: 'Bob',
      role: 'viewer',
      password: PASSWORD,
    })
    const wrong = await failure(world.agentry.users.login('bob@example.com', 'not the password'))
    const unknown = await failure(world.agentry.users.login('nobody@example.com', PASSWORD))
    expect(wrong?.code).toBe('UNAUTHENTICATED')
    expect(unknown?.message).toBe(wrong?.message)
    await world.agentry.users.setStatus(context, user.id, 'disabled')
    expect((await failure(world.agentry.users.login('bob@example.com', PASSWORD)))?.code).toBe(
      'UNAUTHENTICATED',
    )
    await expect(world.agentry.users.actorFor(user.companyId, user.id)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    await world.agentry.users.setStatus(context, user.id, 'active')
    expect((await world.agentry.users.actorFor(user.companyId, user.id)).type).toBe('user')
  })

  it('asks for the company when one email and password belong to several', async () => {
    const world = createTestWorld()
    const a = await world.company('A')
    const b = await world.company('B')
    for (const { context } of [a, b]) {
      await world.agentry.users.create(context, {
        email: 'cy@example.com',
        name: 'Cy',
        role: 'admin',
        password: PASSWORD,
      })
    }
    const ambiguous = await failure(world.agentry.users.login('cy@example.com', PASSWORD))
    expect(ambiguous?.code).toBe('INVALID_INPUT')
    expect(ambiguous?.message).toContain('companyId')
    const login = await world.agentry.users.login('cy@example.com', PASSWORD, b.companyId as CompanyId)
    expect(login.actor).toMatchObject({ type: 'user', companyId: b.companyId })
  })

  it('validates input, naming the field', async () => {
    const world = createTestWorld()
    const { context } = await world.company()
    const error = await failure(
      world.agentry.users.create(context, {
        email: 'not-an-email',
        name: '',
        role: 'owner' as Role,
        password: 'short',
      }),
    )
    expect(error?.code).toBe('INVALID_INPUT')
    expect(((error?.details?.issues ?? []) as { path: string }[]).map((issue) => issue.path).sort()).toEqual([
      'email',
      'name',
      'password',
      'role',
    ])
  })

  it('changes role and password, audited, and only within what the actor holds', async () => {
    const world = createTestWorld()
    const { context, companyId } = await world.company()
    const user = await world.agentry.users.create(context, {
      email: 'dee@example.com',
      name: 'Dee',
      role: 'viewer',
      password: PASSWORD,
    })
    await world.agentry.users.update(context, user.id, {
      role: 'operator',
      password: 'another long password',
    })
    expect((await world.agentry.users.login('dee@example.com', 'another long password')).actor).toMatchObject(
      { role: 'operator' },
    )
    const audit = await world.stores.audit.list(tenantScope(companyId as CompanyId), {
      action: 'user.update',
    })
    expect(audit.items[0]?.details).toEqual({ fields: ['role', 'password'], role: 'operator' })
    expect(JSON.stringify(audit.items)).not.toContain('another long password')
    const keyManager = await world.agentry.apiKeys.create(context, {
      name: 'km',
      permissions: ['users:manage', 'chat:send'],
    })
    const limited = { actor: await world.agentry.apiKeys.authenticate(keyManager.key) }
    const escalation = await failure(world.agentry.users.update(limited, user.id, { role: 'admin' }))
    expect(escalation?.code).toBe('FORBIDDEN')
  })
})

describe('permissions', () => {
  const actorOf = (role: Role): Actor =>
    actorForUser({
      id: '0190a0a0-0000-7000-8000-00000000000a',
      companyId: '0190a0a0-0000-7000-8000-00000000000b',
      email: 'x@example.com',
      name: 'X',
      role,
      passwordHash: 'x',
      status: 'active',
      createdAt: new Date(),
      updatedAt: new Date(),
    } as never)

  it.each([
    [
      'viewer',
      ['agents:view', 'sessions:view', 'kb:view', 'billing:view'],
      ['agents:manage', 'chat:send', 'keys:manage', 'users:manage'],
    ],
    [
      'operator',
      ['agents:manage', 'chat:send', 'tools:manage', 'kb:manage'],
      ['keys:manage', 'users:manage', 'billing:manage', 'audit:view'],
    ],
    ['admin', [...PERMISSIONS], []],
  ] as const)('role %s', (role, allowed, denied) => {
    const actor = actorOf(role)
    for (const permission of allowed)
      expect(() => requirePermission(actor, permission as Permission)).not.toThrow()
    for (const permission of denied) {
      expect(() => requirePermission(actor, permission as Permission)).toThrow(
        `Missing permission "${permission}"`,
      )
    }
  })

  it('enforces roles in the services', async () => {
    const world = createTestWorld()
    const { context } = await world.company()
    const viewer = await world.agentry.users.create(context, {
      email: 'v@example.com',
      name: 'V',
      role: 'viewer',
      password: PASSWORD,
    })
    const operator = await world.agentry.users.create(context, {
      email: 'o@example.com',
      name: 'O',
      role: 'operator',
      password: PASSWORD,
    })
    const asViewer = { actor: (await world.agentry.users.login(viewer.email, PASSWORD)).actor }
    const asOperator = { actor: (await world.agentry.users.login(operator.email, PASSWORD)).actor }
    expect((await failure(world.agentry.agents.create(asViewer, { name: 'x' })))?.message).toContain(
      'agents:manage',
    )
    expect((await world.agentry.agents.list(asViewer)).items).toEqual([])
    expect((await world.agentry.agents.create(asOperator, { name: 'ok' })).version.version).toBe(1)
    expect(
      (
        await failure(
          world.agentry.users.create(asOperator, {
            email: 'z@example.com',
            name: 'Z',
            role: 'viewer',
            password: PASSWORD,
          }),
        )
      )?.code,
    ).toBe('FORBIDDEN')
    expect((await failure(world.agentry.apiKeys.list(asOperator)))?.message).toContain('keys:manage')
  })

  it('platform actors hold every permission but must name the company', () => {
    expect(hasPermission({ type: 'platform-admin' }, 'users:manage')).toBe(true)
    expect(() => scopeOf(PLATFORM)).toThrow('must name the company')
    expect(scopeOf({ ...PLATFORM, companyId: 'c' as CompanyId }).companyId).toBe('c')
    expect(() => scopeOf({ actor: actorOf('admin'), companyId: 'other' as CompanyId })).toThrow(
      'another company',
    )
  })
})

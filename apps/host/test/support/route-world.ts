import type { RouteDefinition } from '../../src/http/route-definition.js'
import { chat, createAgent, createCompany, localRules, type TestCompany } from './tenant-fixtures.js'
import { expectStatus, type TestApi } from './test-api.js'

/**
 * One company with one resource of every kind the routes take an id of, for the table sweeps
 * (isolation, RBAC, bad input). `ids` is keyed by path parameter name (`agentId`, ...).
 */
export interface RouteWorld {
  readonly company: TestCompany
  readonly ids: Record<string, string>
  /** Resources that routes may destroy (revoke, disable, delete) without breaking the sweep's actors. */
  readonly victims: Record<string, string>
  /** Other values example bodies need (`userEmail`, `userPassword`). */
  readonly values: Record<string, string>
}

/**
 * Makes resources for the world, one step per area. An area that adds routes with a new path
 * parameter adds a step here that stores its id under that parameter's name (and a victim when
 * a route can destroy it).
 */
export type WorldStep = (company: TestCompany, world: RouteWorld) => Promise<void>

const AGENT_CONFIG = {
  systemPrompt: 'You help.',
  providerOptions: localRules([{ when: { always: true }, reply: 'Noted: {{input}}' }]),
}

const CALCULATOR_INPUT = {
  type: 'object',
  properties: { expression: { type: 'string' } },
  required: ['expression'],
}

export const WORLD_STEPS: readonly WorldStep[] = [
  async (company, world) => {
    const agent = await createAgent(company, { name: 'Sweep agent', config: AGENT_CONFIG })
    world.ids.agentId = agent.id
    world.ids.version = '1'
    world.ids.sessionId = (await chat(company, agent.id, { message: 'hello' })).sessionId
    world.victims.agentId = (await createAgent(company, { name: 'Victim agent', config: AGENT_CONFIG })).id
  },
  async (company, world) => {
    for (const name of ['apiKeyId', 'victimKey'] as const) {
      const created = await company.api.post<{ data: { apiKey: { id: string } } }>('/api/v1/api-keys', {
        name,
        permissions: ['agents:view'],
      })
      const id = expectStatus(created, 201).body.data.apiKey.id
      if (name === 'apiKeyId') world.ids.apiKeyId = id
      else world.victims.apiKeyId = id
    }
  },
  async (company, world) => {
    world.values.userPassword = 'correct horse battery staple'
    for (const name of ['userId', 'victimUser'] as const) {
      const email = `${name.toLowerCase()}-${company.companyId.slice(-6)}@example.com`
      const created = await company.api.post<{ data: { id: string } }>('/api/v1/users', {
        email,
        name,
        role: 'viewer',
        password: world.values.userPassword,
      })
      const id = expectStatus(created, 201).body.data.id
      if (name === 'userId') {
        world.ids.userId = id
        world.values.userEmail = email
      } else world.victims.userId = id
    }
  },
  async (company, world) => {
    // Tools, secrets and jobs (docs/tools.md): a builtin-kind tool runs locally, so sweeps of
    // POST /tools/:toolId/test never reach the network; a workflow tool's test run makes a job.
    const tool = (name: string, body: Record<string, unknown>) =>
      company.api.post<{ data: { id: string } }>('/api/v1/tools', {
        name,
        description: 'Sweep tool.',
        ...body,
      })
    const calculator = { kind: 'builtin', builtin: { name: 'math.evaluate' }, inputSchema: CALCULATOR_INPUT }
    world.ids.toolId = expectStatus(await tool('sweep.calc', calculator), 201).body.data.id
    world.victims.toolId = expectStatus(await tool('sweep.victim', calculator), 201).body.data.id
    const flow = expectStatus(await tool('sweep.flow', { kind: 'workflow' }), 201).body.data.id
    const run = await company.api.post<{ data: { result: { jobId: string } } }>(
      `/api/v1/tools/${flow}/test`,
      {},
    )
    world.ids.jobId = expectStatus(run, 200).body.data.result.jobId
    // Secret names are per company: make them unique so another company's sweep cannot hit its own.
    const suffix = company.companyId.slice(-8)
    for (const name of [`sweep-secret-${suffix}`, `victim-secret-${suffix}`]) {
      expectStatus(await company.api.post('/api/v1/secrets', { name, value: `value of ${name}` }), 201)
    }
    world.ids.name = `sweep-secret-${suffix}`
    world.victims.name = `victim-secret-${suffix}`
  },
  async (company, world) => {
    // Billing (docs/billing.md): this month's draft (the sweep chat is on it) and quotas far above any use.
    const draft = await company.api.post<{ data: { id: string } }>('/api/v1/invoices/draft', {
      period: currentPeriod(),
    })
    world.ids.invoiceId = expectStatus(draft, 201).body.data.id
    const quota = async (subject: Record<string, string>) => {
      const body = { subject, metric: 'tokens', limit: 1_000_000_000 }
      const response = await company.api.put<{ data: { id: string } }>('/api/v1/quotas', body)
      return expectStatus(response, 200).body.data.id
    }
    world.ids.quotaId = await quota({ type: 'company' })
    world.victims.quotaId = await quota({ type: 'agent', agentId: world.ids.agentId as string })
    const book = await company.api.get<{ data: { id: string } }>('/api/v1/price-books/current')
    world.ids.priceBookId = expectStatus(book, 200).body.data.id
  },
  async (company, world) => {
    // Knowledge (docs/knowledge.md): a knowledge base with a text document, and a victim of each.
    for (const role of ['ids', 'victims'] as const) {
      const base = await company.api.post<{ data: { id: string } }>('/api/v1/knowledge-bases', {
        name: `Sweep ${role}`,
      })
      const knowledgeBaseId = expectStatus(base, 201).body.data.id
      const added = await company.api.post<{ data: { document: { id: string } } }>(
        `/api/v1/knowledge-bases/${knowledgeBaseId}/documents`,
        { type: 'text', text: `Sweep document of the ${role}.` },
      )
      world[role].knowledgeBaseId = knowledgeBaseId
      world[role].documentId = expectStatus(added, 202).body.data.document.id
    }
  },
]

/** The current UTC month, as invoices name periods. */
export function currentPeriod(): string {
  return new Date().toISOString().slice(0, 7)
}

export async function buildRouteWorld(api: TestApi, name: string): Promise<RouteWorld> {
  const company = await createCompany(api, name)
  const world: RouteWorld = { company, ids: {}, victims: {}, values: {} }
  for (const step of WORLD_STEPS) await step(company, world)
  return world
}

export function routeKey(route: Pick<RouteDefinition, 'method' | 'url'>): string {
  return `${route.method} ${route.url}`
}

/** Routes that destroy or disable their target: the sweeps point them at the world's victims. */
const DESTRUCTIVE = /(DELETE |\/revoke$|\/disable$)/

/** The route's URL with the world's ids filled in (victims for destructive routes). */
export function fillPath(route: RouteDefinition, world: RouteWorld): string {
  const useVictims = DESTRUCTIVE.test(routeKey(route))
  const path = route.url.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    const value = (useVictims ? world.victims[name] : undefined) ?? world.ids[name]
    if (value === undefined)
      throw new Error(`The route world has no "${name}": add a WORLD_STEPS entry for it`)
    return value
  })
  return route.isRoot ? path : `/api/v1${path}`
}

/**
 * A valid body for every route that takes one, so sweeps reach the route's service and not only
 * its validation. A route with a body schema and no entry here fails the sweeps.
 */
export const EXAMPLE_BODIES: Readonly<Record<string, (world: RouteWorld) => unknown>> = {
  'POST /companies': () => ({ name: 'Swept company' }),
  'POST /api-keys': () => ({ name: 'swept key', permissions: ['agents:view'] }),
  'POST /auth/login': (world) => ({
    email: world.values.userEmail,
    password: world.values.userPassword,
    companyId: world.company.companyId,
  }),
  'POST /users': () => ({
    email: `swept-${Math.random().toString(36).slice(2)}@example.com`,
    name: 'Swept user',
    role: 'viewer',
    password: 'correct horse battery staple',
  }),
  'PATCH /users/:userId': () => ({ name: 'Renamed user' }),
  'POST /agents': () => ({ name: 'Swept agent', config: AGENT_CONFIG }),
  'PATCH /agents/:agentId': () => ({ name: 'Renamed agent' }),
  'PUT /agents/:agentId/config': () => ({ config: AGENT_CONFIG, note: 'swept' }),
  'POST /agents/:agentId/rollback': () => ({ version: 1 }),
  'POST /agents/:agentId/chat': () => ({ message: 'hello from the sweep' }),
  'POST /tools': () => ({
    name: `sweep.tool_${Math.random().toString(36).slice(2, 10)}`,
    kind: 'builtin',
    description: 'Swept tool.',
    inputSchema: CALCULATOR_INPUT,
    builtin: { name: 'math.evaluate' },
  }),
  'PATCH /tools/:toolId': () => ({ description: 'Swept description.' }),
  'POST /tools/:toolId/test': () => ({ arguments: { expression: '6 * 7' } }),
  'POST /secrets': () => ({ name: 'swept-secret', value: 'swept value' }),
  'POST /price-books': () => {
    const now = new Date()
    return {
      planId: 'swept-plan',
      effectiveFrom: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
      currency: 'USD',
      prices: [{ meter: 'llm.input_tokens', modelPattern: '*', unitPriceMicros: 1_000_000, per: 1_000_000 }],
    }
  },
  'POST /invoices/draft': () => ({ period: currentPeriod() }),
  'PUT /quotas': () => ({ subject: { type: 'company' }, metric: 'tokens', limit: 1_000_000_000 }),
  'POST /knowledge-bases': () => ({ name: `Swept base ${Math.random().toString(36).slice(2, 10)}` }),
  'PATCH /knowledge-bases/:knowledgeBaseId': () => ({ description: 'Swept description.' }),
  'POST /knowledge-bases/:knowledgeBaseId/documents': () => ({
    type: 'text',
    text: `Swept text ${Math.random().toString(36).slice(2)}`,
  }),
  'POST /knowledge-bases/:knowledgeBaseId/search': () => ({ query: 'sweep document' }),
}

export function exampleBody(route: RouteDefinition, world: RouteWorld): unknown {
  if (!route.schema.body) return undefined
  const example = EXAMPLE_BODIES[routeKey(route)]
  if (!example) throw new Error(`No example body for ${routeKey(route)}: add one to EXAMPLE_BODIES`)
  return example(world)
}

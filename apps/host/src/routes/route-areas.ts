import type { RouteArea, RouteDefinition } from '../http/route-definition.js'
import { agentRoutes } from './agent-routes.js'
import { apiKeyRoutes } from './api-key-routes.js'
import { auditRoutes } from './audit-routes.js'
import { billingRoutes } from './billing-routes.js'
import { chatRoutes } from './chat-routes.js'
import { companyRoutes } from './company-routes.js'
import { healthRoutes } from './health-routes.js'
import { jobRoutes } from './job-routes.js'
import { knowledgeRoutes } from './knowledge-routes.js'
import { meRoutes } from './me-routes.js'
import { secretRoutes } from './secret-routes.js'
import { sessionRoutes } from './session-routes.js'
import { toolRoutes } from './tool-routes.js'
import { usageRoutes } from './usage-routes.js'
import { userRoutes } from './user-routes.js'

/**
 * Every route area the API serves. Adding an area is one file (`routes/<area>-routes.ts` exporting
 * `defineArea(...)`) plus one line here; tests sweep `ROUTES` for isolation, RBAC and bad input.
 */
export const ROUTE_AREAS: readonly RouteArea[] = [
  healthRoutes,
  companyRoutes,
  meRoutes,
  apiKeyRoutes,
  userRoutes,
  agentRoutes,
  chatRoutes,
  sessionRoutes,
  usageRoutes,
  billingRoutes,
  auditRoutes,
  toolRoutes,
  secretRoutes,
  jobRoutes,
  knowledgeRoutes,
]

/** The route table: every route of every area, with the area's name. */
export const ROUTES: readonly (RouteDefinition & { readonly area: string })[] = ROUTE_AREAS.flatMap((area) =>
  area.routes.map((route) => ({ ...route, area: area.name })),
)

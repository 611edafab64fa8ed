export { type BuildAppOptions, buildApp } from './app.js'
export { type CliIo, createCli, runCli } from './cli.js'
export { type ComposeOptions, type Composition, compose } from './compose.js'
export { type Config, ENVIRONMENT_VARIABLES, loadConfig } from './config/load-config.js'
export {
  DEMO_EXTENSIONS,
  type DemoContext,
  type DemoContribution,
  type DemoExtension,
} from './demo/demo-extensions.js'
export { DEMO_AGENT_CONFIG, type DemoSeed, seedDemo } from './demo/seed-demo.js'
export { data, envelope, idParams, listEnvelope, PageQuery, page } from './http/api-schemas.js'
export { ERROR_STATUS } from './http/error-status.js'
export type { AppDependencies, HostServices } from './http/host-services.js'
export { InFlightTurns } from './http/in-flight-turns.js'
export {
  defineArea,
  defineRoute,
  type RouteAccess,
  type RouteArea,
  type RouteDefinition,
  routePath,
} from './http/route-definition.js'
export { JOB_HANDLERS, type JobHandlerDefinition } from './jobs/job-handlers.js'
export { ProviderModelResolver } from './models/provider-model-resolver.js'
export type { ApiObservability } from './observability/api-observability.js'
export { HOST_METRIC, HOST_METRICS, HOST_SPAN } from './observability/host-metrics.js'
export { createHostTelemetry, type HostTelemetryOptions } from './observability/host-telemetry.js'
export type { ObservabilityConfig } from './observability/observability-config.js'
export { ROUTE_AREAS, ROUTES } from './routes/route-areas.js'
export { type RunningServer, type ServerMode, startServer, stopOnSignals } from './server.js'
export { type RunningWorker, startWorker, type WorkerOptions } from './worker.js'

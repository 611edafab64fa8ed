import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseAllDocuments } from 'yaml'

/** What the host really offers, read from its source, that the deploy files must agree with. */
export interface HostFacts {
  /** Every variable `loadConfig` reads. */
  readonly environment: ReadonlySet<string>
  /** The `agentry` top-level commands. */
  readonly commands: ReadonlySet<string>
  /** The API's health routes, and the one that checks the dependencies (readiness). */
  readonly apiHealthPaths: ReadonlySet<string>
  readonly apiReadinessPath: string
  /** What `agentry worker` answers on AGENTRY_WORKER_METRICS_PORT. */
  readonly workerHealthPaths: ReadonlySet<string>
  /** The image every agentry container runs: its last path segment and its tag (the host's version). */
  readonly image: { readonly name: string; readonly tag: string }
  /** The image's entry point: Node on the host's `agentry` bin. */
  readonly entrypoint: readonly string[]
}

export interface YamlFile {
  readonly file: string
  readonly documents: readonly unknown[]
}

type Tree = Record<string, unknown>

/** Reading parsed YAML without trusting its shape: a missing or wrong-typed node reads as empty. */
export const record = (value: unknown): Tree =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Tree) : {}
export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])
export const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : ''
export const keys = (value: unknown): string[] => Object.keys(record(value))

/** Parses every YAML document of a file (merge keys on, as Compose reads them); syntax errors become problems. */
export function parseYamlFile(file: string, source: string): { file: YamlFile; problems: string[] } {
  const parsed = parseAllDocuments(source, { merge: true })
  const documents = Array.isArray(parsed) ? parsed : [parsed]
  const problems = documents.flatMap((document) =>
    document.errors.map((error) => `${file}: YAML does not parse: ${error.message.split('\n')[0]}`),
  )
  return { file: { file, documents: documents.map((document) => document.toJS()) }, problems }
}

/** `${AGENTRY_IMAGE:-agentry:0.1.0}` -> `agentry:0.1.0`; a plain value as it is. */
function interpolatedDefault(value: string): string {
  return value.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1')
}

export function checkImage(where: string, image: string, facts: HostFacts): string[] {
  const reference = interpolatedDefault(image)
  const [repository = '', tag = ''] = reference.split(/:(?=[^/]+$)/)
  const name = repository.split('/').pop()
  return name === facts.image.name && tag === facts.image.tag
    ? []
    : [`${where}: image "${reference}" is not ${facts.image.name}:${facts.image.tag} (the host's version)`]
}

export function checkVariables(where: string, names: readonly string[], facts: HostFacts): string[] {
  return names
    .filter((name) => !facts.environment.has(name))
    .map((name) => `${where}: ${name} is not a variable the host reads (docs/configuration.md)`)
}

export function checkRole(where: string, argv: unknown, role: string, facts: HostFacts): string[] {
  const command = text(list(argv)[0])
  if (!facts.commands.has(command)) return [`${where}: "${command}" is not an agentry command`]
  return command === role ? [] : [`${where}: runs "${command}", expected "${role}"`]
}

/** The port and path of the first http://host:port/path in a Compose healthcheck. */
function healthcheckTarget(healthcheck: unknown): { port: string; path: string } | null {
  const match = /https?:\/\/[^/:'"\s]+:(\d+)(\/[A-Za-z0-9/_-]*)/.exec(
    list(record(healthcheck).test).join(' '),
  )
  return match ? { port: match[1] ?? '', path: match[2] ?? '' } : null
}

const seconds = (value: unknown) => Number(/^(\d+)s$/.exec(text(value))?.[1] ?? Number.NaN)

/** The Compose file: services, healthchecks, the agentry containers' image, command and environment. */
export function checkCompose(compose: YamlFile, facts: HostFacts): string[] {
  const where = (service: string) => `${compose.file}: service ${service}`
  const services = record(record(compose.documents[0]).services)
  const problems: string[] = []
  for (const name of ['postgres', 'redis', 'qdrant', 'migrate', 'api', 'worker']) {
    if (!(name in services)) problems.push(`${compose.file}: service ${name} is missing`)
  }
  if (!text(record(services.postgres).image).includes('pgvector'))
    problems.push(`${where('postgres')}: the image must ship pgvector`)
  for (const [name, value] of Object.entries(services)) {
    if (name !== 'migrate' && list(record(record(value).healthcheck).test).length === 0)
      problems.push(`${where(name)}: no healthcheck`)
  }
  for (const role of ['migrate', 'api', 'worker']) {
    const service = record(services[role])
    const environment = record(service.environment)
    problems.push(
      ...checkImage(where(role), text(service.image), facts),
      ...checkRole(where(role), service.command, role, facts),
      ...checkVariables(where(role), keys(environment), facts),
    )
    for (const [variable, host] of [
      ['DATABASE_URL', 'postgres'],
      ['REDIS_URL', 'redis'],
    ] as const) {
      if (role !== 'migrate' || variable === 'DATABASE_URL') {
        const url = text(environment[variable])
        if (!url.includes(`@${host}:`) && !url.includes(`//${host}:`))
          problems.push(`${where(role)}: ${variable} must point at the ${host} service`)
      }
    }
    if (role !== 'migrate') {
      const dependsOn = record(record(service.depends_on).migrate)
      if (dependsOn.condition !== 'service_completed_successfully')
        problems.push(`${where(role)}: must wait for migrate (condition service_completed_successfully)`)
    }
  }
  const api = record(services.api)
  const apiEnvironment = record(api.environment)
  const apiTarget = healthcheckTarget(api.healthcheck)
  if (!apiTarget || !facts.apiHealthPaths.has(apiTarget.path) || apiTarget.port !== text(apiEnvironment.PORT))
    problems.push(
      `${where('api')}: the healthcheck must call a health route on PORT (${[...facts.apiHealthPaths]})`,
    )
  const grace = Number(text(apiEnvironment.AGENTRY_SHUTDOWN_GRACE_MS) || 15_000)
  if (!(seconds(api.stop_grace_period) * 1000 > grace))
    problems.push(`${where('api')}: stop_grace_period must exceed AGENTRY_SHUTDOWN_GRACE_MS`)
  const worker = record(services.worker)
  const workerTarget = healthcheckTarget(worker.healthcheck)
  const metricsPort = text(record(worker.environment).AGENTRY_WORKER_METRICS_PORT)
  if (!workerTarget || !facts.workerHealthPaths.has(workerTarget.path) || workerTarget.port !== metricsPort)
    problems.push(`${where('worker')}: the healthcheck must call /healthz on AGENTRY_WORKER_METRICS_PORT`)
  return problems
}

/** The Dockerfile's last stage: entry point, environment and exposed port. */
export function checkDockerfile(file: string, source: string, facts: HostFacts): string[] {
  const stages = source.split(/^FROM /m)
  const last = stages[stages.length - 1] ?? ''
  const problems: string[] = []
  const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(last)?.[1]
  if (!entrypoint || JSON.stringify(JSON.parse(entrypoint)) !== JSON.stringify(facts.entrypoint))
    problems.push(`${file}: ENTRYPOINT must be ${JSON.stringify(facts.entrypoint)}`)
  const environment = Object.fromEntries(
    [...last.matchAll(/^ENV (.+)$/gm)].flatMap((line) =>
      (line[1] ?? '').split(/\s+/).map((pair) => pair.split('=') as [string, string]),
    ),
  )
  problems.push(...checkVariables(file, Object.keys(environment), facts))
  if (/^EXPOSE (\d+)$/m.exec(last)?.[1] !== environment.PORT)
    problems.push(`${file}: EXPOSE must be the PORT`)
  return problems
}

/** The deploy files, as text: the Compose file, the Dockerfile and every Kubernetes manifest. */
export function readDeployDirectory(root: string): {
  compose: { file: string; source: string }
  dockerfile: { file: string; source: string }
  kubernetes: { file: string; source: string }[]
} {
  const read = (file: string) => ({ file, source: readFileSync(join(root, file), 'utf8') })
  const kubernetesFiles = readdirSync(join(root, 'deploy/k8s'))
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
  return {
    compose: read('deploy/docker-compose.yml'),
    dockerfile: read('deploy/Dockerfile'),
    kubernetes: kubernetesFiles.map((name) => read(`deploy/k8s/${name}`)),
  }
}

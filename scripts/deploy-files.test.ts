import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { createCli } from '../apps/host/src/cli.js'
import { ENVIRONMENT_VARIABLES } from '../apps/host/src/config/load-config.js'
import { routePath } from '../apps/host/src/http/route-definition.js'
import { healthRoutes } from '../apps/host/src/routes/health-routes.js'
import {
  checkCompose,
  checkDockerfile,
  type HostFacts,
  parseYamlFile,
  readDeployDirectory,
  record,
  type YamlFile,
} from './deploy-files.js'
import { checkKubernetes } from './deploy-kubernetes.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const exists = (file: string) => existsSync(join(root, file))

/** The facts come from the host's own source, so a renamed variable, command or route fails here. */
function hostFacts(): HostFacts {
  const hostPackage = JSON.parse(readFileSync(join(root, 'apps/host/package.json'), 'utf8')) as {
    version: string
    bin: { agentry: string }
  }
  const metricsServer = readFileSync(join(root, 'apps/host/src/observability/metrics-server.ts'), 'utf8')
  const health = healthRoutes.routes.filter((route) => route.method === 'GET')
  const readiness = health.find((route) => route.summary.startsWith('Readiness'))
  return {
    environment: new Set(ENVIRONMENT_VARIABLES),
    commands: new Set(createCli().commands.map((command) => command.name())),
    apiHealthPaths: new Set(health.map(routePath)),
    apiReadinessPath: readiness ? routePath(readiness) : '(no readiness route)',
    workerHealthPaths: new Set(
      [...metricsServer.matchAll(/path === '(\/[a-z]+)'/g)].map((match) => match[1]!),
    ),
    image: { name: 'agentry', tag: hostPackage.version },
    entrypoint: ['node', join('apps/host', hostPackage.bin.agentry)],
  }
}

describe('deploy files (validated statically: Docker does not run here)', () => {
  let facts: HostFacts
  let compose: YamlFile
  let kubernetes: YamlFile[]
  let dockerfile: { file: string; source: string }
  const parseProblems: string[] = []

  beforeAll(() => {
    facts = hostFacts()
    const files = readDeployDirectory(root)
    const parse = (file: { file: string; source: string }) => {
      const parsed = parseYamlFile(file.file, file.source)
      parseProblems.push(...parsed.problems)
      return parsed.file
    }
    compose = parse(files.compose)
    kubernetes = files.kubernetes.map(parse)
    dockerfile = files.dockerfile
  })

  it('reads real facts from the host', () => {
    expect([...facts.commands]).toEqual(expect.arrayContaining(['api', 'worker', 'migrate', 'start']))
    expect([...facts.apiHealthPaths].sort()).toEqual(['/healthz', '/readyz'])
    expect(facts.apiReadinessPath).toBe('/readyz')
    expect([...facts.workerHealthPaths]).toContain('/healthz')
    expect(facts.environment.has('DATABASE_URL')).toBe(true)
  })

  it('parses every file', () => {
    expect(parseProblems).toEqual([])
    expect(kubernetes.map((file) => file.file)).toContain('deploy/k8s/api-deployment.yaml')
  })

  it('has a consistent Compose file', () => {
    expect(checkCompose(compose, facts)).toEqual([])
  })

  it('has consistent Kubernetes manifests', () => {
    expect(checkKubernetes(kubernetes, facts, exists)).toEqual([])
  })

  it('has a Dockerfile that runs the agentry CLI', () => {
    expect(checkDockerfile(dockerfile.file, dockerfile.source, facts)).toEqual([])
    expect(exists(facts.entrypoint[1]!.replace('/dist/', '/src/').replace(/\.js$/, '.ts'))).toBe(true)
  })

  describe('catches broken files', () => {
    const composeWith = (change: (services: Record<string, Record<string, unknown>>) => void) => {
      const copy = structuredClone(compose.documents[0]) as {
        services: Record<string, Record<string, unknown>>
      }
      change(copy.services)
      return checkCompose({ file: 'bad-compose.yml', documents: [copy] }, facts)
    }
    const manifestsWith = (file: string, change: (documents: Record<string, unknown>[]) => void) =>
      checkKubernetes(
        kubernetes.map((item) => {
          if (item.file !== file) return item
          const documents = structuredClone(item.documents) as Record<string, unknown>[]
          change(documents)
          return { file: item.file, documents }
        }),
        facts,
        exists,
      )
    const apiContainer = (documents: Record<string, unknown>[]) =>
      (record(documents[0]) as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } })
        .spec.template.spec.containers[0]!

    it('a YAML syntax error', () => {
      const parsed = parseYamlFile('bad.yaml', 'kind: Deployment\nmetadata:\n  name: [unclosed\n')
      expect(parsed.problems[0]).toMatch(/^bad\.yaml: YAML does not parse/)
    })

    it('an unknown command, an unknown variable, a wrong image in Compose', () => {
      const problems = composeWith((services) => {
        services.api!.command = ['serve']
        ;(services.worker!.environment as Record<string, string>).AGENTRY_LOGLEVEL = 'debug'
        services.migrate!.image = 'agentry:9.9.9'
      })
      expect(problems).toEqual([
        'bad-compose.yml: service migrate: image "agentry:9.9.9" is not agentry:0.1.0 (the host\'s version)',
        'bad-compose.yml: service api: "serve" is not an agentry command',
        'bad-compose.yml: service worker: AGENTRY_LOGLEVEL is not a variable the host reads (docs/configuration.md)',
      ])
    })

    it('a Compose healthcheck on a route the API does not have, and a missing service', () => {
      const problems = composeWith((services) => {
        const healthcheck = services.api!.healthcheck as { test: string[] }
        healthcheck.test = healthcheck.test.map((part) => part.replace('/readyz', '/ready'))
        delete services.qdrant
      })
      expect(problems).toEqual([
        'bad-compose.yml: service qdrant is missing',
        'bad-compose.yml: service api: the healthcheck must call a health route on PORT (/healthz,/readyz)',
      ])
    })

    it('a readiness probe on a missing route, an unknown env var and a missing Secret in Kubernetes', () => {
      const problems = manifestsWith('deploy/k8s/api-deployment.yaml', (documents) => {
        const container = apiContainer(documents) as {
          readinessProbe: { httpGet: { path: string } }
          env?: unknown[]
          envFrom: { secretRef?: { name: string } }[]
        }
        container.readinessProbe.httpGet.path = '/ready'
        container.env = [{ name: 'AGENTRY_DATABASE', value: 'x' }]
        container.envFrom[1] = { secretRef: { name: 'agentry-credentials' } }
      })
      expect(problems).toEqual([
        'deploy/k8s/api-deployment.yaml: Deployment agentry-api: AGENTRY_DATABASE is not a variable the host reads (docs/configuration.md)',
        'deploy/k8s/api-deployment.yaml: Deployment agentry-api: envFrom secretRef agentry-credentials does not exist',
        'deploy/k8s/api-deployment.yaml: Deployment agentry-api: readinessProbe calls /ready, not a health route (/healthz,/readyz)',
        'deploy/k8s/api-deployment.yaml: Deployment agentry-api: readinessProbe must call /readyz (it checks the database and queue)',
      ])
    })

    it('a Service that selects nothing, and an autoscaler of a missing Deployment', () => {
      const service = manifestsWith('deploy/k8s/api-service.yaml', (documents) => {
        ;(documents[0] as { spec: { selector: Record<string, string> } }).spec.selector = { app: 'api' }
      })
      expect(service).toEqual(['deploy/k8s/api-service.yaml: Service agentry-api selects no API pod'])
      const autoscaler = manifestsWith('deploy/k8s/worker-autoscaling.yaml', (documents) => {
        ;(documents[0] as { spec: { scaleTargetRef: { name: string } } }).spec.scaleTargetRef.name =
          'agentry-workers'
      })
      expect(autoscaler).toEqual([
        'deploy/k8s/worker-autoscaling.yaml: agentry-worker scales Deployment agentry-workers, which does not exist',
      ])
    })

    it('a Dockerfile that runs something else', () => {
      const source = dockerfile.source.replace('apps/host/dist/cli.js', 'dist/server.js')
      expect(checkDockerfile('Dockerfile', source, facts)).toEqual([
        'Dockerfile: ENTRYPOINT must be ["node","apps/host/dist/cli.js"]',
      ])
    })
  })
})

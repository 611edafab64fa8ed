import {
  checkImage,
  checkRole,
  checkVariables,
  type HostFacts,
  keys,
  list,
  record,
  text,
  type YamlFile,
} from './deploy-files.js'

interface Resource {
  readonly file: string
  readonly kind: string
  readonly name: string
  readonly body: Record<string, unknown>
}

/** The workloads and the `agentry` command each must run. */
const ROLES: Readonly<Record<string, { kind: string; role: string }>> = {
  'agentry-api': { kind: 'Deployment', role: 'api' },
  'agentry-worker': { kind: 'Deployment', role: 'worker' },
  'agentry-migrate': { kind: 'Job', role: 'migrate' },
}
const REQUIRED = [
  ...Object.entries(ROLES).map(([name, { kind }]) => [kind, name]),
  ['Service', 'agentry-api'],
  ['ConfigMap', 'agentry-config'],
  ['HorizontalPodAutoscaler', 'agentry-api'],
  ['HorizontalPodAutoscaler', 'agentry-worker'],
] as const

const isSubset = (inner: unknown, outer: unknown) =>
  keys(inner).length > 0 &&
  Object.entries(record(inner)).every(([key, value]) => record(outer)[key] === value)

/**
 * The manifests: the resources exist; every container runs the host's image with a real command;
 * every variable (env, ConfigMap and Secret keys) is one the host reads; references resolve; probes
 * call real health routes on the right ports; Service and autoscalers target what exists.
 */
export function checkKubernetes(
  files: readonly YamlFile[],
  facts: HostFacts,
  exists: (file: string) => boolean,
): string[] {
  const problems: string[] = []
  const resources: Resource[] = []
  for (const { file, documents } of files) {
    for (const document of documents) {
      const body = record(document)
      const kind = text(body.kind)
      const name = text(record(body.metadata).name)
      if (kind === 'Kustomization') {
        for (const resource of list(body.resources).map(text)) {
          if (!exists(`deploy/k8s/${resource}`)) problems.push(`${file}: resource ${resource} does not exist`)
        }
      } else if (!text(body.apiVersion) || !kind || !name) {
        problems.push(`${file}: a document without apiVersion, kind or metadata.name`)
      } else {
        resources.push({ file, kind, name, body })
      }
    }
  }
  const find = (kind: string, name: string) =>
    resources.find((resource) => resource.kind === kind && resource.name === name)
  for (const [kind, name] of REQUIRED) {
    if (!find(kind, name)) problems.push(`deploy/k8s: ${kind} ${name} is missing`)
  }

  const settings: Record<string, string> = {}
  for (const resource of resources.filter((item) => item.kind === 'ConfigMap' || item.kind === 'Secret')) {
    const data = { ...record(resource.body.data), ...record(resource.body.stringData) }
    problems.push(...checkVariables(`${resource.file}: ${resource.kind} ${resource.name}`, keys(data), facts))
    if (resource.kind === 'ConfigMap')
      for (const [key, value] of Object.entries(data)) settings[key] = text(value)
  }
  const grace = Number(settings.AGENTRY_SHUTDOWN_GRACE_MS || 15_000)
  const hasKey = (kind: string, name: string, key: string) => {
    const resource = find(kind, name)
    return (
      resource !== undefined && key in { ...record(resource.body.data), ...record(resource.body.stringData) }
    )
  }

  for (const [name, { kind, role }] of Object.entries(ROLES)) {
    const workload = find(kind, name)
    if (!workload) continue
    const where = `${workload.file}: ${kind} ${name}`
    const template = record(record(workload.body.spec).template)
    const pod = record(template.spec)
    if (kind === 'Deployment') {
      if (
        !isSubset(record(record(workload.body.spec).selector).matchLabels, record(template.metadata).labels)
      )
        problems.push(`${where}: selector.matchLabels must match the pod template's labels`)
      if (!(Number(pod.terminationGracePeriodSeconds ?? 30) * 1000 > grace))
        problems.push(`${where}: terminationGracePeriodSeconds must exceed AGENTRY_SHUTDOWN_GRACE_MS`)
    }
    const containers = list(pod.containers).map(record)
    if (containers.length === 0) problems.push(`${where}: no containers`)
    for (const container of containers) {
      problems.push(
        ...checkImage(where, text(container.image), facts),
        ...checkRole(where, container.args, role, facts),
        ...checkVariables(
          where,
          list(container.env).map((entry) => text(record(entry).name)),
          facts,
        ),
      )
      for (const entry of list(container.env).map((item) => record(record(item).valueFrom))) {
        for (const [refKind, refName] of [
          ['Secret', 'secretKeyRef'],
          ['ConfigMap', 'configMapKeyRef'],
        ] as const) {
          const reference = record(entry[refName])
          if (keys(reference).length > 0 && !hasKey(refKind, text(reference.name), text(reference.key)))
            problems.push(
              `${where}: ${refName} ${text(reference.name)}/${text(reference.key)} does not exist`,
            )
        }
      }
      for (const source of list(container.envFrom).map(record)) {
        for (const [refKind, refName] of [
          ['Secret', 'secretRef'],
          ['ConfigMap', 'configMapRef'],
        ] as const) {
          const reference = text(record(source[refName]).name)
          if (reference && !find(refKind, reference))
            problems.push(`${where}: envFrom ${refName} ${reference} does not exist`)
        }
      }
      problems.push(...checkProbes(where, role, container, settings, facts))
    }
  }

  const api = find('Deployment', 'agentry-api')
  const apiTemplate = record(record(api?.body.spec).template)
  const apiPorts = list(record(list(record(apiTemplate.spec).containers)[0]).ports).map(record)
  const service = find('Service', 'agentry-api')
  if (service && !isSubset(record(service.body.spec).selector, record(apiTemplate.metadata).labels))
    problems.push(`${service.file}: Service agentry-api selects no API pod`)
  for (const port of list(record(service?.body.spec).ports).map(record)) {
    if (!apiPorts.some((item) => item.name === port.targetPort || item.containerPort === port.targetPort))
      problems.push(
        `${service?.file}: Service agentry-api targets port ${text(port.targetPort)}, which the API does not open`,
      )
  }
  for (const autoscaler of resources.filter((item) => item.kind === 'HorizontalPodAutoscaler')) {
    const spec = record(autoscaler.body.spec)
    const target = record(spec.scaleTargetRef)
    if (!find(text(target.kind), text(target.name)))
      problems.push(
        `${autoscaler.file}: ${autoscaler.name} scales ${text(target.kind)} ${text(target.name)}, which does not exist`,
      )
    if (!(Number(spec.minReplicas ?? 1) <= Number(spec.maxReplicas)))
      problems.push(`${autoscaler.file}: ${autoscaler.name} needs minReplicas <= maxReplicas`)
  }
  return problems
}

/** API: readiness on the readiness route and liveness on a health route, on PORT; worker: liveness on its metrics port. */
function checkProbes(
  where: string,
  role: string,
  container: Record<string, unknown>,
  settings: Record<string, string>,
  facts: HostFacts,
): string[] {
  if (role === 'migrate') return []
  const problems: string[] = []
  const ports = list(container.ports).map(record)
  const portOf = (port: unknown) =>
    text(typeof port === 'number' ? port : ports.find((item) => item.name === port)?.containerPort)
  const expected =
    role === 'api'
      ? {
          port: settings.PORT ?? '3000',
          paths: facts.apiHealthPaths,
          probes: ['readinessProbe', 'livenessProbe'],
        }
      : {
          port: settings.AGENTRY_WORKER_METRICS_PORT ?? '',
          paths: facts.workerHealthPaths,
          probes: ['livenessProbe'],
        }
  for (const probe of expected.probes) {
    if (!container[probe]) problems.push(`${where}: no ${probe}`)
  }
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    const httpGet = record(record(container[probe]).httpGet)
    if (keys(httpGet).length === 0) continue
    const path = text(httpGet.path)
    if (!expected.paths.has(path))
      problems.push(`${where}: ${probe} calls ${path}, not a health route (${[...expected.paths]})`)
    if (role === 'api' && probe === 'readinessProbe' && path !== facts.apiReadinessPath)
      problems.push(
        `${where}: readinessProbe must call ${facts.apiReadinessPath} (it checks the database and queue)`,
      )
    if (portOf(httpGet.port) !== expected.port)
      problems.push(`${where}: ${probe} port ${text(httpGet.port)} is not ${expected.port}`)
  }
  return problems
}

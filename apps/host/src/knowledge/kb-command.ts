import { readFileSync } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import type { DocumentId, KnowledgeBaseId } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import { KB_INDEX_JOB, type RequestContext } from '@agentry/core'
import { guessMediaType } from '@agentry/extract'
import { SingleBar } from 'cli-progress'
import type { Command } from 'commander'
import { type Composition, compose } from '../compose.js'
import type { Config } from '../config/load-config.js'

/** Files a directory contributes; a file named on the command line is always tried. */
const INGESTIBLE = new Set(['.txt', '.text', '.md', '.markdown', '.html', '.htm', '.pdf'])

export interface KbIngestOptions {
  readonly kb: string
  readonly company?: string
  readonly apiKey?: string
  readonly allowDuplicates?: boolean
  readonly wait: boolean
}

interface FileOutcome {
  readonly file: string
  status: 'uploading' | 'queued' | 'ready' | 'failed' | 'duplicate'
  documentId?: DocumentId
  reason?: string
}

/**
 * `agentry kb ingest <files or dirs> --kb <id>`: uploads each file through the knowledge service
 * (same limits, types and duplicate check as the API) against the configured storage, then waits
 * for indexing with a progress bar. With the in-process queue (no REDIS_URL) this process indexes;
 * with Redis the workers do and this process watches.
 */
export function addKnowledgeCommand(
  program: Command,
  config: () => Config,
  print: (line: string) => void,
): void {
  const kb = program.command('kb').description('Knowledge bases')
  kb.command('ingest')
    .description('Upload files or directories (.txt .md .html .pdf) into a knowledge base and index them')
    .argument('<paths...>', 'files or directories (searched recursively)')
    .requiredOption('--kb <knowledgeBaseId>', 'the knowledge base')
    .option('--company <companyId>', "act on this company's behalf (default: the embedded demo company)")
    .option('--api-key <key>', 'act as this API key (needs kb:manage)')
    .option('--allow-duplicates', 'add files whose content the knowledge base already has')
    .option('--no-wait', 'with REDIS_URL: return once uploaded, the workers index in the background')
    .action(async (paths: string[], options: KbIngestOptions) => {
      const settings = config()
      const composition = await compose(settings)
      try {
        await ingest(composition, settings, paths, options, print)
      } finally {
        await composition.close()
      }
    })
}

async function ingest(
  composition: Composition,
  settings: Config,
  paths: readonly string[],
  options: KbIngestOptions,
  print: (line: string) => void,
): Promise<void> {
  const context = await contextFor(composition, settings, options)
  const files = await filesOf(paths)
  if (files.length === 0) throw new CoreError('INVALID_INPUT', 'No files to ingest (.txt, .md, .html, .pdf).')
  const { service, indexer } = composition.knowledge
  const knowledgeBaseId = options.kb as KnowledgeBaseId
  const base = await service.getKnowledgeBase(context, knowledgeBaseId)
  // The in-process queue ends with this process: it indexes here and always waits.
  const wait = options.wait || !settings.redisUrl
  const worker = settings.redisUrl
    ? null
    : composition.queue.process(KB_INDEX_JOB, indexer.handle, { concurrency: 2 })
  const bar = new SingleBar({
    format: 'Ingesting |{bar}| {value}/{total} files | {file}',
    stream: process.stderr,
    hideCursor: true,
  })
  bar.start(files.length, 0, { file: '' })
  const outcomes: FileOutcome[] = files.map((file) => ({ file, status: 'uploading' }))
  try {
    for (const outcome of outcomes) {
      bar.update({ file: basename(outcome.file) })
      await upload(composition, context, knowledgeBaseId, outcome, options)
      if (!wait || outcome.status !== 'queued') bar.increment()
    }
    if (wait) await waitForIndexing(composition, context, outcomes, () => bar.increment())
  } finally {
    bar.stop()
    await worker?.stop()
  }
  report(base.name, outcomes, wait, print)
}

async function upload(
  composition: Composition,
  context: RequestContext,
  knowledgeBaseId: KnowledgeBaseId,
  outcome: FileOutcome,
  options: KbIngestOptions,
): Promise<void> {
  try {
    const content = new Uint8Array(await readFile(outcome.file))
    const filename = basename(outcome.file)
    const { document } = await composition.knowledge.service.addDocument(
      context,
      knowledgeBaseId,
      { type: 'upload', filename, content, mediaType: guessMediaType(filename, content) },
      { allowDuplicate: options.allowDuplicates === true },
    )
    outcome.status = 'queued'
    outcome.documentId = document.id
  } catch (error) {
    if (!CoreError.isInstance(error) || error.code === 'UNAVAILABLE' || error.code === 'INTERNAL') throw error
    outcome.status = error.code === 'CONFLICT' ? 'duplicate' : 'failed'
    outcome.reason = error.message
  }
}

async function waitForIndexing(
  composition: Composition,
  context: RequestContext,
  outcomes: FileOutcome[],
  onSettled: () => void,
): Promise<void> {
  for (;;) {
    const pending = outcomes.filter((outcome) => outcome.status === 'queued')
    if (pending.length === 0) return
    for (const outcome of pending) {
      const document = await composition.knowledge.service.getDocument(context, outcome.documentId!)
      if (document.status !== 'ready' && document.status !== 'failed') continue
      outcome.status = document.status
      if (document.error) outcome.reason = document.error
      onSettled()
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

function report(
  name: string,
  outcomes: readonly FileOutcome[],
  waited: boolean,
  print: (line: string) => void,
) {
  const count = (status: FileOutcome['status']) =>
    outcomes.filter((outcome) => outcome.status === status).length
  const done = waited ? `${count('ready')} indexed` : `${count('queued')} queued for indexing`
  print(
    `Knowledge base "${name}": ${done}, ${count('duplicate')} already there (same content), ${count('failed')} failed.`,
  )
  for (const outcome of outcomes) {
    if (outcome.status === 'failed' || outcome.status === 'duplicate')
      print(`  ${outcome.file}: ${outcome.reason}`)
  }
  if (count('failed') > 0) {
    throw new CoreError('INVALID_INPUT', `${count('failed')} file(s) could not be ingested (listed above).`)
  }
}

/** The API key's context, a platform-admin context for `--company`, or the embedded demo company. */
async function contextFor(
  composition: Composition,
  settings: Config,
  options: KbIngestOptions,
): Promise<RequestContext> {
  const requestId = 'cli-kb-ingest'
  if (options.apiKey)
    return { actor: await composition.agentry.apiKeys.authenticate(options.apiKey), requestId }
  if (options.company) {
    return { actor: { type: 'platform-admin' }, companyId: options.company as never, requestId }
  }
  const demoKey = demoApiKey(settings.dataDir)
  if (demoKey) return { actor: await composition.agentry.apiKeys.authenticate(demoKey), requestId }
  throw new CoreError('INVALID_INPUT', 'Name the company: --company <companyId> or --api-key <key>.')
}

async function filesOf(paths: readonly string[]): Promise<string[]> {
  const files: string[] = []
  const walk = async (path: string, isNamed: boolean): Promise<void> => {
    const info = await stat(path).catch(() => {
      throw new CoreError('INVALID_INPUT', `${path} does not exist.`)
    })
    if (info.isDirectory()) {
      const entries = await readdir(path)
      for (const entry of entries.sort()) if (!entry.startsWith('.')) await walk(join(path, entry), false)
    } else if (isNamed || INGESTIBLE.has(extname(path).toLowerCase())) {
      files.push(path)
    }
  }
  for (const path of paths) await walk(path, true)
  return files
}

/** The demo company's key that `agentry start` keeps in `<data dir>/demo.json`, if any. */
function demoApiKey(dataDir: string): string | undefined {
  try {
    const saved = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as { apiKey?: unknown }
    return typeof saved.apiKey === 'string' ? saved.apiKey : undefined
  } catch {
    return undefined
  }
}

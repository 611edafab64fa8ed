import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AgentId, KnowledgeBaseId } from '@agentry/contracts'
import { collectTurn } from '@agentry/core'
import { afterAll, describe, expect, it } from 'vitest'
import { type CliIo, runCli } from '../src/cli.js'
import { compose } from '../src/compose.js'
import { loadConfig } from '../src/config/load-config.js'

const dataDir = mkdtempSync(join(tmpdir(), 'agentry-kb-cli-'))
const files = mkdtempSync(join(tmpdir(), 'agentry-kb-files-'))
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(files, { recursive: true, force: true })
})
const environment = { AGENTRY_DATA_DIR: dataDir, AGENTRY_LOG_LEVEL: 'silent' }

async function agentry(...argv: string[]) {
  const out: string[] = []
  const errors: string[] = []
  const io: CliIo = { environment, print: (line) => out.push(line), printError: (line) => errors.push(line) }
  return { code: await runCli(argv, io), out, errors }
}

/** Runs `work` on a composition of the same data directory (opened after the CLI closed it). */
async function withPlatform<T>(work: (composition: Awaited<ReturnType<typeof compose>>) => Promise<T>) {
  const composition = await compose(loadConfig(environment))
  try {
    return await work(composition)
  } finally {
    await composition.close()
  }
}

describe('agentry kb ingest', () => {
  it('uploads a directory, indexes it with this process, and reports duplicates and failures', async () => {
    const created = await agentry('company', 'create', '--name', 'Acme', '--json')
    const { apiKey } = JSON.parse(created.out.join('')) as { apiKey: string }
    const baseId = await withPlatform(async (composition) => {
      const context = { actor: await composition.agentry.apiKeys.authenticate(apiKey) }
      return (await composition.knowledge.service.createKnowledgeBase(context, { name: 'Manuals' })).id
    })
    mkdirSync(join(files, 'guides'))
    writeFileSync(join(files, 'pump.md'), '# Pump\n\nBleed the pump before the first start.')
    writeFileSync(join(files, 'copy-of-pump.md'), '# Pump\n\nBleed the pump before the first start.')
    writeFileSync(join(files, 'notes.txt'), 'The valve key hangs next to the boiler.')
    writeFileSync(join(files, 'guides', 'heater.html'), '<h1>Heater</h1><p>Set the heater to 21 degrees.</p>')
    writeFileSync(join(files, 'logo.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47]))
    writeFileSync(join(files, 'broken.pdf'), '%PDF-1.7 not really')
    const result = await agentry('kb', 'ingest', files, '--kb', baseId, '--api-key', apiKey)
    expect(result.errors.join('\n')).toMatch(/INVALID_INPUT: 1 file\(s\) could not be ingested/)
    expect(result.code).toBe(1)
    expect(result.out[0]).toBe(
      'Knowledge base "Manuals": 3 indexed, 1 already there (same content), 1 failed.',
    )
    expect(result.out.join('\n')).toContain('pump.md: This knowledge base already has this content')
    expect(result.out.join('\n')).toMatch(/broken\.pdf: .*PDF/)
    expect(result.out.join('\n')).not.toContain('logo.png')
    const found = await withPlatform(async (composition) => {
      const context = { actor: await composition.agentry.apiKeys.authenticate(apiKey) }
      const documents = await composition.knowledge.service.listDocuments(context, baseId)
      const hits = await composition.knowledge.service.search(context, {
        knowledgeBaseIds: [baseId],
        query: 'heater temperature degrees',
      })
      return { documents: documents.items, best: hits.hits[0]?.citation.documentTitle }
    })
    expect(found.documents.map((document) => [document.title, document.status]).sort()).toEqual([
      ['broken.pdf', 'failed'],
      ['copy-of-pump.md', 'ready'],
      ['heater.html', 'ready'],
      ['notes.txt', 'ready'],
    ])
    expect(found.best).toBe('heater.html')
  })

  it('works on the embedded demo company without credentials; the demo agent cites its handbook', async () => {
    expect((await agentry('demo')).code).toBe(0)
    const seed = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as {
      apiKey: string
      agentId: string
    }
    const demo = await withPlatform(async (composition) => {
      const context = { actor: await composition.agentry.apiKeys.authenticate(seed.apiKey) }
      const [base] = (await composition.knowledge.service.listKnowledgeBases(context)).items
      const documents = await composition.knowledge.service.listDocuments(context, base!.id)
      const answer = await collectTurn(
        composition.agentry.orchestrator.run({
          context,
          agentId: seed.agentId as AgentId,
          message: 'How long do I have to report a damaged parcel?',
        }),
      )
      return {
        baseId: base!.id as KnowledgeBaseId,
        statuses: documents.items.map((document) => document.status),
        answer,
      }
    })
    // The demo agent answers from its knowledge base with a citation (what npm start shows).
    expect(demo.statuses).toEqual(['ready', 'ready'])
    expect(demo.answer.message.content).toContain('48 hours')
    expect(demo.answer.citations[0]).toMatchObject({ index: 1, documentTitle: 'Returns policy' })
    const result = await agentry('kb', 'ingest', join(files, 'notes.txt'), '--kb', demo.baseId)
    expect(result).toMatchObject({
      code: 0,
      out: ['Knowledge base "Demo shop handbook": 1 indexed, 0 already there (same content), 0 failed.'],
    })
  })

  it('says how to name the company when there is no demo', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'agentry-kb-empty-'))
    const errors: string[] = []
    const io: CliIo = {
      environment: { AGENTRY_DATA_DIR: empty, AGENTRY_LOG_LEVEL: 'silent' },
      print: () => undefined,
      printError: (line) => errors.push(line),
    }
    try {
      expect(await runCli(['kb', 'ingest', files, '--kb', crypto.randomUUID()], io)).toBe(1)
      expect(errors.join('\n')).toContain('--company <companyId> or --api-key <key>')
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })
})

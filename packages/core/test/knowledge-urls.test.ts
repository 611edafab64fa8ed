import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expectCoreError } from '@agentry/contracts/testing'
import { createHttpClient } from '@agentry/outbound'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createKnowledgeWorld, type KnowledgeWorld } from './knowledge-world.js'

const PAGES: Record<string, { type: string; body: string | Buffer; status?: number }> = {
  '/guide.html': {
    type: 'text/html; charset=utf-8',
    body: '<html><head><title>Setup guide</title></head><body><h1>Setup</h1><p>Plug the router into port 4 before you switch it on.</p></body></html>',
  },
  '/notes': { type: 'text/markdown', body: '# Notes\n\nThe spare key hangs in the cupboard.' },
  '/download/faq.md': { type: 'application/octet-stream', body: '# FAQ\n\nInvoices arrive monthly.' },
  '/logo.png': { type: 'image/png', body: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
  '/huge.txt': { type: 'text/plain', body: 'z'.repeat(5000) },
  '/missing': { type: 'text/plain', body: 'gone', status: 404 },
}

let server: Server
let origin: string
beforeAll(async () => {
  server = createServer((request, response) => {
    const page = PAGES[request.url ?? '']
    response.writeHead(page?.status ?? (page ? 200 : 404), { 'content-type': page?.type ?? 'text/plain' })
    response.end(page?.body ?? 'not found')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
)

let world: KnowledgeWorld
afterEach(() => world?.close())

async function setUp(options: Parameters<typeof createKnowledgeWorld>[0] = {}) {
  world = createKnowledgeWorld({ limits: { maxDocumentBytes: 4096 }, ...options })
  const { context } = await world.company()
  const base = await world.knowledge.service.createKnowledgeBase(context, { name: 'Web' })
  const fromUrl = (path: string, title?: string) =>
    world.knowledge.service.addDocument(context, base.id, {
      type: 'url',
      url: path.startsWith('http') ? path : `${origin}${path}`,
      ...(title ? { title } : {}),
    })
  return { context, base, fromUrl }
}

describe('documents from a URL', () => {
  it('are fetched through the guarded client, typed by their content type, and indexed', async () => {
    const { context, base, fromUrl } = await setUp()
    const { document } = await fromUrl('/guide.html', 'Router setup')
    expect(document).toMatchObject({
      title: 'Router setup',
      mediaType: 'text/html',
      source: { type: 'url', url: `${origin}/guide.html` },
    })
    expect((await world.settled(context, document.id)).status).toBe('ready')
    const found = await world.knowledge.service.search(context, {
      knowledgeBaseIds: [base.id],
      query: 'which port does the router use?',
    })
    expect(found.hits[0]?.citation).toMatchObject({ documentId: document.id, documentTitle: 'Router setup' })
    expect(found.hits[0]?.text).toContain('port 4')
    expect((await fromUrl('/notes')).document).toMatchObject({ mediaType: 'text/markdown', title: 'notes' })
    expect((await fromUrl('/download/faq.md')).document).toMatchObject({
      mediaType: 'text/markdown',
      title: 'faq.md',
    })
  })

  it('refuse what the limits and the extractor do not take, and failed fetches, with clear errors', async () => {
    const { fromUrl } = await setUp()
    const tooLarge = await expectCoreError(fromUrl('/huge.txt'), 'PAYLOAD_TOO_LARGE')
    expect(tooLarge.message).toContain('4096 bytes')
    const unsupported = await expectCoreError(fromUrl('/logo.png'), 'UNSUPPORTED_MEDIA_TYPE')
    expect(unsupported.message).toContain('image/png')
    const missing = await expectCoreError(fromUrl('/missing'), 'INVALID_INPUT')
    expect(missing.message).toContain('HTTP 404')
    await expectCoreError(fromUrl('ftp://example.com/file.txt'), 'INVALID_INPUT')
  })

  it('are refused for private, metadata and (unless allowed) loopback addresses', async () => {
    const { context, base, fromUrl } = await setUp({ http: createHttpClient({ allowLoopback: false }) })
    for (const url of [
      `${origin}/notes`,
      'http://10.0.0.8/handbook.md',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:127.0.0.1]/notes',
    ]) {
      const refused = await expectCoreError(fromUrl(url), 'FORBIDDEN')
      expect(refused.message.length).toBeGreaterThan(20)
    }
    expect((await world.knowledge.service.listDocuments(context, base.id)).items).toEqual([])
  })
})

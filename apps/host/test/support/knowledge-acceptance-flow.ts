import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { waitUntil } from '@agentry/contracts/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { knowledgeJobs } from '../../src/jobs/knowledge-jobs.js'
import { type RunningWorker, startWorker } from '../../src/worker.js'
import { multipartBody } from './multipart.js'
import { chat, chatStream, createAgent, createCompany, type TestCompany } from './tenant-fixtures.js'
import { expectStatus, TestApi } from './test-api.js'
import type { TestPlatform } from './test-platform.js'

interface DocumentData {
  readonly id: string
  readonly title: string
  readonly status: string
  readonly error: string | null
  readonly chunkCount: number
  readonly mediaType: string
}
interface Hit {
  readonly text: string
  readonly citation: { readonly documentId: string; readonly documentTitle: string; readonly score: number }
  readonly ranks: { readonly vector?: { rank: number }; readonly keyword?: { rank: number } }
}

const RETURNS = `# Returns policy

Items can be returned within 30 days of delivery for a full refund.

## Damaged items

Report a damaged parcel within 48 hours of delivery, with a photo of the damage.`

const SHIPPING =
  'Shipping\n\nStandard shipping takes 3 to 5 working days. Express shipping arrives the next day.'
const ROUTER_PAGE =
  '<html><head><title>Router setup</title></head><body><h1>Router</h1><p>Plug the router into port 4 before switching it on.</p></body></html>'

/**
 * Knowledge bases end to end over HTTP: documents from a multipart upload, text and a URL, indexed
 * by the worker; cited chat answers; the search endpoint; isolation from a second company; limits;
 * delete and re-index. Run on the embedded default and on PostgreSQL 15 with Redis.
 */
export function describeKnowledgeAcceptance(
  title: string,
  start: (environment: Record<string, string>) => Promise<TestPlatform>,
): void {
  describe(title, () => {
    let platform: TestPlatform
    let worker: RunningWorker
    let api: TestApi
    let acme: TestCompany
    let globex: TestCompany
    let server: Server
    let origin: string

    beforeAll(async () => {
      server = createServer((request, response) => {
        if (request.url === '/router.html') {
          response.writeHead(200, { 'content-type': 'text/html' })
          response.end(ROUTER_PAGE)
        } else {
          response.writeHead(404).end()
        }
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      platform = await start({
        AGENTRY_OUTBOUND_ALLOW_LOOPBACK: 'true',
        AGENTRY_KB_MAX_DOCUMENT_BYTES: '20000',
      })
      worker = startWorker(platform.composition, [knowledgeJobs])
      api = new TestApi(platform.app)
      acme = await createCompany(api, 'Acme')
      globex = await createCompany(api, 'Globex')
    })
    afterAll(async () => {
      await worker?.stop()
      await platform?.close()
      await new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
    })

    async function createBase(company: TestCompany, name: string): Promise<string> {
      const response = await company.api.post<{ data: { id: string } }>('/api/v1/knowledge-bases', { name })
      return expectStatus(response, 201).body.data.id
    }

    async function upload(
      company: TestCompany,
      baseId: string,
      file: { filename: string; content: string | Uint8Array; contentType?: string },
      fields: Record<string, string> = {},
    ) {
      const { payload, contentType } = multipartBody(file, fields)
      const response = await platform.app.inject({
        method: 'POST',
        url: `/api/v1/knowledge-bases/${baseId}/documents/upload`,
        headers: { authorization: `Bearer ${company.apiKey}`, 'content-type': contentType },
        payload,
      })
      return {
        status: response.statusCode,
        body: response.json() as {
          data?: { document: DocumentData }
          error?: { code: string; message: string; details?: Record<string, unknown> }
        },
      }
    }

    function settled(company: TestCompany, documentId: string): Promise<DocumentData> {
      return waitUntil(
        async () => {
          const response = await company.api.get<{ data: DocumentData }>(`/api/v1/documents/${documentId}`)
          const document = expectStatus(response, 200).body.data
          return document.status === 'ready' || document.status === 'failed' ? document : null
        },
        { timeoutMs: 30_000, message: `document ${documentId} to be indexed` },
      )
    }

    async function search(company: TestCompany, baseId: string, query: string) {
      return company.api.post<{ data: { hits: Hit[] } }>(`/api/v1/knowledge-bases/${baseId}/search`, {
        query,
      })
    }

    describe('the knowledge flow', () => {
      let baseId: string
      let returnsId: string
      let shippingId: string
      let routerId: string
      let agentId: string

      it('takes documents as a multipart upload, as text and from a URL, and indexes them', async () => {
        baseId = await createBase(acme, 'Shop handbook')
        const uploaded = await upload(
          acme,
          baseId,
          { filename: 'returns.md', content: RETURNS },
          { title: 'Returns policy' },
        )
        expect(uploaded.status).toBe(202)
        expect(uploaded.body.data?.document).toMatchObject({
          title: 'Returns policy',
          mediaType: 'text/markdown',
          status: 'pending',
        })
        returnsId = uploaded.body.data!.document.id
        const text = await acme.api.post<{ data: { document: DocumentData; jobId: string } }>(
          `/api/v1/knowledge-bases/${baseId}/documents`,
          { type: 'text', text: SHIPPING, title: 'Shipping' },
        )
        shippingId = expectStatus(text, 202).body.data.document.id
        const job = await acme.api.get<{ data: { kind: string } }>(`/api/v1/jobs/${text.body.data.jobId}`)
        expect(expectStatus(job, 200).body.data.kind).toBe('kb.index')
        const fromUrl = await acme.api.post<{ data: { document: DocumentData } }>(
          `/api/v1/knowledge-bases/${baseId}/documents`,
          { type: 'url', url: `${origin}/router.html` },
        )
        routerId = expectStatus(fromUrl, 202).body.data.document.id
        for (const id of [returnsId, shippingId, routerId]) {
          const document = await settled(acme, id)
          expect(document).toMatchObject({ status: 'ready', error: null })
          expect(document.chunkCount).toBeGreaterThan(0)
        }
        const listed = await acme.api.get<{ data: DocumentData[] }>(
          `/api/v1/knowledge-bases/${baseId}/documents`,
        )
        expect(expectStatus(listed, 200).body.data.map((document) => document.id)).toEqual([
          returnsId,
          shippingId,
          routerId,
        ])
      })

      it('answers a chat from the right document and cites it, also when streamed', async () => {
        const agent = await createAgent(acme, {
          name: 'Shop helper',
          config: { knowledge: { knowledgeBaseIds: [baseId], topK: 3 } },
        })
        agentId = agent.id
        const answer = await chat(acme, agentId, {
          message: 'How long do I have to report a damaged parcel?',
        })
        expect(answer.message.content).toContain('48 hours')
        expect(answer.message.content).toContain('[1]')
        expect(answer.citations[0]).toMatchObject({
          documentId: returnsId,
          documentTitle: 'Returns policy',
          index: 1,
        })
        const streamed = await chatStream(acme, agentId, { message: 'Which port does the router go into?' })
        const citation = streamed.events.find((event) => event.event === 'citation')
        expect(citation?.data).toMatchObject({ citation: { documentId: routerId } })
        expect(streamed.result.message.content).toContain('port 4')
      })

      it('shows what retrieval returns through the search endpoint', async () => {
        const response = expectStatus(await search(acme, baseId, 'express shipping next day'), 200)
        const [best] = response.body.data.hits
        expect(best?.citation).toMatchObject({ documentId: shippingId, documentTitle: 'Shipping' })
        expect(best?.citation.score).toBeGreaterThan(0.5)
        expect(best?.ranks.keyword?.rank).toBe(1)
      })

      it('never lets another company retrieve or touch these chunks', async () => {
        const ownBase = await createBase(globex, 'Globex manuals')
        const own = await globex.api.post<{ data: { document: DocumentData } }>(
          `/api/v1/knowledge-bases/${ownBase}/documents`,
          { type: 'text', text: 'Globex parcels are collected on Fridays.', title: 'Collection' },
        )
        await settled(globex, expectStatus(own, 202).body.data.document.id)
        expect((await search(globex, baseId, 'damaged parcel')).status).toBe(404)
        expect((await globex.api.get(`/api/v1/knowledge-bases/${baseId}`)).status).toBe(404)
        expect((await globex.api.get(`/api/v1/documents/${returnsId}`)).status).toBe(404)
        expect((await globex.api.delete(`/api/v1/documents/${returnsId}`)).status).toBe(404)
        // An agent of Globex that names Acme's knowledge base still retrieves only within Globex.
        const spy = await createAgent(globex, {
          name: 'Curious',
          config: { knowledge: { knowledgeBaseIds: [baseId, ownBase], topK: 5 } },
        })
        const answer = await chat(globex, spy.id, {
          message: 'How long do I have to report a damaged parcel?',
        })
        expect(answer.message.content).not.toContain('48 hours')
        const cited = answer.citations as { documentId: string }[]
        expect(
          cited.every((citation) => ![returnsId, shippingId, routerId].includes(citation.documentId)),
        ).toBe(true)
        const found = expectStatus(await search(globex, ownBase, 'damaged parcel report 48 hours photo'), 200)
        expect(found.body.data.hits.every((hit) => hit.citation.documentTitle === 'Collection')).toBe(true)
      })

      it('refuses duplicates, unsupported types, oversized files and private URLs with clear errors', async () => {
        const duplicate = await upload(acme, baseId, { filename: 'again.md', content: RETURNS })
        expect(duplicate.status).toBe(409)
        expect(duplicate.body.error?.details).toMatchObject({ documentId: returnsId })
        const allowed = await upload(
          acme,
          baseId,
          { filename: 'again.md', content: RETURNS },
          { allowDuplicate: 'true' },
        )
        expect(allowed.status).toBe(202)
        expect((await acme.api.delete(`/api/v1/documents/${allowed.body.data?.document.id}`)).status).toBe(
          204,
        )
        const image = await upload(acme, baseId, {
          filename: 'logo.png',
          content: new Uint8Array([0x89, 0x50]),
          contentType: 'image/png',
        })
        expect(image.status).toBe(415)
        expect(image.body.error?.message).toContain('text/markdown')
        const large = await upload(acme, baseId, { filename: 'big.txt', content: 'x'.repeat(20_001) })
        expect(large.status).toBe(413)
        const privateUrl = await acme.api.post<{ error: { code: string; message: string } }>(
          `/api/v1/knowledge-bases/${baseId}/documents`,
          { type: 'url', url: 'http://10.1.2.3/handbook.md' },
        )
        expect(privateUrl.status).toBe(403)
        expect(privateUrl.body.error.message).toContain('10.1.2.3')
        const notMultipart = await acme.api.post(`/api/v1/knowledge-bases/${baseId}/documents/upload`, {
          file: 'x',
        })
        expect(notMultipart.status).toBe(415)
      })

      it('deletes a document everywhere and re-indexes another', async () => {
        expect((await acme.api.delete(`/api/v1/documents/${shippingId}`)).status).toBe(204)
        expect((await acme.api.get(`/api/v1/documents/${shippingId}`)).status).toBe(404)
        const after = expectStatus(await search(acme, baseId, 'express shipping next day'), 200)
        expect(after.body.data.hits.some((hit) => hit.citation.documentId === shippingId)).toBe(false)
        const reindexed = await acme.api.post<{ data: { document: DocumentData } }>(
          `/api/v1/documents/${returnsId}/reindex`,
        )
        expect(expectStatus(reindexed, 202).body.data.document.status).toBe('pending')
        expect((await settled(acme, returnsId)).status).toBe('ready')
        const answer = await chat(acme, agentId, {
          message: 'How long do I have to report a damaged parcel?',
        })
        expect(answer.citations[0]).toMatchObject({ documentId: returnsId })
      })
    })
  })
}

import { waitUntil } from '@agentry/contracts/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeAcceptance } from './support/acceptance-flow.js'
import { DistributedCluster } from './support/distributed-cluster.js'
import { auditIndex, countUsageEvents, handbookDocuments, lockTableWrites } from './support/index-audit.js'
import { createAgent, createCompany, localRules, type TestCompany } from './support/tenant-fixtures.js'
import { expectStatus, TestApi } from './support/test-api.js'
import { probeServices } from './support/test-database.js'

interface DocumentData {
  readonly id: string
  readonly title: string
  readonly status: string
  readonly error: string | null
  readonly chunkCount: number
}
interface QueuedDocument {
  readonly document: DocumentData
  readonly jobId: string
}
interface JobData {
  readonly status: string
  readonly attempts: number
}
interface MessageData {
  readonly role: string
  readonly content: string
  readonly turnId: string
}

const services = await probeServices()
const title = 'two API and two worker processes (built CLI) on PostgreSQL 15 and Redis'
const DOCUMENTS = handbookDocuments(16)
const CHUNKING = { maxTokens: 100, overlapTokens: 20 }

if (!services.isAvailable) {
  describe(title, () => {
    it.skip(`skipped: ${services.reason}`, () => undefined)
  })
} else {
  describe(title, () => {
    let cluster: DistributedCluster
    let api: TestApi

    beforeAll(async () => {
      // The session test needs turns that take a moment, so two sent together overlap.
      cluster = await DistributedCluster.start({ environment: { AGENTRY_LOCAL_MODEL_LATENCY_MS: '150' } })
      api = new TestApi(cluster.http)
    })
    afterAll(() => cluster?.close())

    describeAcceptance('the acceptance flow, each request to the next API process', async () => ({
      app: cluster.http,
      close: async () => undefined,
    }))

    it('sent the acceptance flow to both API processes', () => {
      expect(cluster.http.counts).toHaveLength(2)
      for (const count of cluster.http.counts) expect(count).toBeGreaterThan(10)
    })

    describe('a worker killed with SIGKILL in the middle of indexing jobs', () => {
      let company: TestCompany
      let baseId: string
      const queued = new Map<string, QueuedDocument>()
      const interruptedTitles: string[] = []

      const createBase = async (name: string) =>
        expectStatus(
          await company.api.post<{ data: { id: string } }>('/api/v1/knowledge-bases', {
            name,
            chunking: CHUNKING,
          }),
          201,
        ).body.data.id

      const upload = async (knowledgeBaseId: string) => {
        const uploaded = new Map<string, QueuedDocument>()
        for (const { title: documentTitle, text } of DOCUMENTS) {
          const response = await company.api.post<{ data: QueuedDocument }>(
            `/api/v1/knowledge-bases/${knowledgeBaseId}/documents`,
            { type: 'text', format: 'markdown', text, title: documentTitle },
          )
          uploaded.set(documentTitle, expectStatus(response, 202).body.data)
        }
        return uploaded
      }

      const documentsOf = async (knowledgeBaseId: string) =>
        expectStatus(
          await company.api.get<{ data: DocumentData[] }>(
            `/api/v1/knowledge-bases/${knowledgeBaseId}/documents?limit=100`,
          ),
          200,
        ).body.data

      const allSettled = (knowledgeBaseId: string) =>
        waitUntil(
          async () => {
            const documents = await documentsOf(knowledgeBaseId)
            const isSettled = documents.every((item) => item.status === 'ready' || item.status === 'failed')
            return documents.length === DOCUMENTS.length && isSettled ? documents : null
          },
          {
            timeoutMs: 30_000,
            intervalMs: 100,
            message: `every document of ${knowledgeBaseId} to be indexed`,
          },
        )

      const job = async (jobId: string) =>
        expectStatus(await company.api.get<{ data: JobData }>(`/api/v1/jobs/${jobId}`), 200).body.data

      beforeAll(async () => {
        company = await createCompany(api, 'Indexing Co')
        baseId = await createBase('Handbooks')
      })

      it('indexes every document exactly once although a worker died holding two half-done jobs', async () => {
        const [victim, survivor] = cluster.workers
        // worker-2 fills its two job slots and waits at the embeddings gate; worker-1 embeds its two
        // documents, bills them, writes their chunks, and then waits for the vector table's lock.
        cluster.embeddings.closeGate('worker-2')
        const vectorTable = await lockTableWrites(cluster.database.url, 'chunk_vectors')
        try {
          for (const [key, value] of await upload(baseId)) queued.set(key, value)
          await cluster.embeddings.waitForHeld('worker-2', 2)
          await waitUntil(async () => (await vectorTable.waitingWriters()) === 2, {
            timeoutMs: 20_000,
            message: 'worker-1 to reach the vector writes of two documents',
          }).catch(async (error: Error) => {
            const answered = cluster.embeddings.answered.map(
              (request) => `${request.client}: ${request.titles[0]}`,
            )
            throw new Error(
              `${error.message}\nembeddings answered: ${answered.join(', ')}\ndatabase sessions:\n${await vectorTable.activity()}\nworker-1:\n${victim!.output()}`,
            )
          })
          const interrupted = [
            ...new Set(
              cluster.embeddings.answered
                .filter((request) => request.client === 'worker-1')
                .flatMap((request) => request.titles),
            ),
          ]
          expect(interrupted).toHaveLength(2)
          const before = await auditIndex(cluster.database.url, baseId)
          for (const documentTitle of interrupted) {
            const { document, jobId } = queued.get(documentTitle)!
            // Half done: billed, chunks written, no vectors yet, the job still held by worker-1.
            const row = before.find((item) => item.documentId === document.id)
            expect(row, documentTitle).toMatchObject({ status: 'indexing', vectors: 0, keywordEntries: 0 })
            expect(row?.chunks, documentTitle).toBeGreaterThan(0)
            expect((await job(jobId)).status, documentTitle).toBe('active')
          }
          expect(await countUsageEvents(cluster.database.url, company.companyId, 'embedding.tokens')).toBe(2)
          interruptedTitles.push(...interrupted)
          expect(await victim!.stop('SIGKILL')).toBe('SIGKILL')
        } finally {
          await vectorTable.release()
          cluster.embeddings.openGate('worker-2')
        }
        const documents = await allSettled(baseId)

        expect(survivor!.isRunning).toBe(true)
        expect(documents.map((item) => [item.title, item.status, item.error])).toEqual(
          DOCUMENTS.map((item) => [item.title, 'ready', null]),
        )
        for (const [documentTitle, { jobId }] of queued) {
          const finished = await job(jobId)
          expect(finished.status, documentTitle).toBe('completed')
          // The interrupted jobs ran again on the surviving worker once the dead one's lock expired.
          if (interruptedTitles.includes(documentTitle))
            expect(finished.attempts, documentTitle).toBeGreaterThanOrEqual(2)
        }
        // Each document's embedding batch is billed once, though two were embedded twice.
        const embeddedBySurvivor = cluster.embeddings.answered
          .filter((request) => request.client === 'worker-2')
          .flatMap((request) => request.titles)
        for (const documentTitle of interruptedTitles) expect(embeddedBySurvivor).toContain(documentTitle)
        expect(await countUsageEvents(cluster.database.url, company.companyId, 'embedding.tokens')).toBe(
          DOCUMENTS.length,
        )
      })

      it('holds each document once in the index: chunks, vectors and keyword entries', async () => {
        const rows = await auditIndex(cluster.database.url, baseId)
        expect(rows).toHaveLength(DOCUMENTS.length)
        for (const row of rows) {
          expect(row.status).toBe('ready')
          expect(row.chunkCount).toBeGreaterThan(1)
          expect(row).toMatchObject({
            chunks: row.chunkCount,
            distinctOrdinals: row.chunkCount,
            maxOrdinal: row.chunkCount - 1,
            vectors: row.chunkCount,
            keywordEntries: row.chunkCount,
            orphanVectors: 0,
            orphanKeywordEntries: 0,
          })
        }
      })

      it('gives every document the chunk count of one undisturbed indexing', async () => {
        const controlId = await createBase('Handbooks, indexed undisturbed')
        await upload(controlId)
        const control = new Map((await allSettled(controlId)).map((item) => [item.title, item.chunkCount]))
        const indexed = await documentsOf(baseId)
        expect(indexed.map((item) => [item.title, item.chunkCount])).toEqual(
          DOCUMENTS.map((item) => [item.title, control.get(item.title)]),
        )
        const search = await company.api.post<{ data: { hits: { citation: { documentTitle: string } }[] } }>(
          `/api/v1/knowledge-bases/${baseId}/search`,
          { query: 'passwords rule 2.3' },
        )
        expect(expectStatus(search, 200).body.data.hits[0]?.citation.documentTitle).toBe(DOCUMENTS[5]?.title)
      })
    })

    describe('turns on one session sent at the same time through the two API processes', () => {
      it('runs them one after the other and stores a well-formed transcript', async () => {
        const company = await createCompany(api, 'Busy Co')
        const agent = await createAgent(company, {
          name: 'Echo',
          config: { providerOptions: localRules([{ when: { always: true }, reply: 'You said: {{input}}' }]) },
        })
        const through = [0, 1].map((index) => new TestApi(cluster.http.only(index), company.apiKey))
        const send = (index: number, message: string, sessionId?: string) =>
          through[index]!.post<{
            data: { sessionId: string; turnId: string; usage: { inputTokens: number } }
          }>(`/api/v1/agents/${agent.id}/chat`, { message, ...(sessionId ? { sessionId } : {}) })
        const first = expectStatus(await send(0, 'opening'), 200).body.data
        const opened = first.sessionId
        const sent = ['opening']
        const inputTokens = new Map([[first.turnId, first.usage.inputTokens]])
        for (const round of [1, 2, 3]) {
          const messages = [`round ${round} via api-1`, `round ${round} via api-2`]
          const answers = await Promise.all(messages.map((message, index) => send(index, message, opened)))
          for (const [index, answer] of answers.entries()) {
            // The documented answer to a session busy for too long is 504 TIMEOUT (retryable).
            expect([200, 504], answer.text).toContain(answer.status)
            if (answer.status !== 200) continue
            sent.push(messages[index]!)
            inputTokens.set(answer.body.data.turnId, answer.body.data.usage.inputTokens)
          }
          expect(answers.some((answer) => answer.status === 200)).toBe(true)
        }

        const transcript = expectStatus(
          await through[1]!.get<{ data: MessageData[] }>(`/api/v1/sessions/${opened}/messages?limit=100`),
          200,
        ).body.data
        expect(transcript).toHaveLength(sent.length * 2)
        const pairs = Array.from({ length: sent.length }, (_, index) => [
          transcript[index * 2]!,
          transcript[index * 2 + 1]!,
        ])
        for (const [user, assistant] of pairs) {
          expect([user!.role, assistant!.role]).toEqual(['user', 'assistant'])
          expect(assistant!.turnId).toBe(user!.turnId)
          expect(assistant!.content).toBe(`You said: ${user!.content}`)
        }
        expect(pairs.map(([user]) => user!.content).sort()).toEqual([...sent].sort())
        expect(new Set(transcript.map((message) => message.turnId)).size).toBe(sent.length)
        // Each turn was sent every earlier exchange as history: it started after the previous one ended.
        const tokensInOrder = pairs.map(([user]) => inputTokens.get(user!.turnId) ?? -1)
        for (let index = 1; index < tokensInOrder.length; index++) {
          expect(tokensInOrder[index]).toBeGreaterThan(tokensInOrder[index - 1]!)
        }
      })
    })
  })
}

import pg from 'pg'

const TOPICS = [
  'returns',
  'shipping',
  'warranty',
  'invoices',
  'routers',
  'passwords',
  'deliveries',
  'refunds',
  'printers',
  'contracts',
  'holidays',
  'payroll',
]
const WORDS = [
  'customer',
  'parcel',
  'label',
  'account',
  'device',
  'schedule',
  'payment',
  'receipt',
  'support',
  'network',
  'office',
  'manager',
  'policy',
  'request',
  'approval',
  'storage',
]

/**
 * `count` markdown handbooks of different lengths (several sections of varied sentences), each
 * with a unique title, the same on every call.
 */
export function handbookDocuments(count: number): { title: string; text: string }[] {
  return Array.from({ length: count }, (_, index) => {
    const topic = TOPICS[index % TOPICS.length] ?? 'general'
    const title = `Handbook ${String(index + 1).padStart(2, '0')} on ${topic}`
    const sections = Array.from({ length: 3 + (index % 4) }, (_, section) => {
      const sentences = Array.from({ length: 8 + ((index + section) % 5) }, (_, sentence) => {
        const word = (offset: number) =>
          WORDS[(index * 7 + section * 5 + sentence * 3 + offset) % WORDS.length]
        return `The ${word(0)} ${topic} rule ${section + 1}.${sentence + 1} covers the ${word(1)} and the ${word(2)} of each ${word(3)}.`
      })
      return `## ${topic} part ${section + 1}\n\n${sentences.join(' ')}`
    })
    return { title, text: `# ${title}\n\n${sections.join('\n\n')}` }
  })
}

/** What the database holds for one document of a knowledge base. */
export interface DocumentIndexRows {
  readonly documentId: string
  readonly status: string
  readonly chunkCount: number
  /** Rows in `chunks`, distinct ordinals among them, and the highest ordinal. */
  readonly chunks: number
  readonly distinctOrdinals: number
  readonly maxOrdinal: number
  /** Rows in `chunk_vectors` and `keyword_entries`, and how many of those belong to no chunk. */
  readonly vectors: number
  readonly keywordEntries: number
  readonly orphanVectors: number
  readonly orphanKeywordEntries: number
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/**
 * Reads, as the database owner, every document of a knowledge base with its chunks, vectors and
 * keyword entries counted, to prove the index holds each document exactly once.
 */
export function auditIndex(databaseUrl: string, knowledgeBaseId: string): Promise<DocumentIndexRows[]> {
  return withClient(databaseUrl, async (client) => {
    const result = await client.query<DocumentIndexRows>(
      `SELECT d.id AS "documentId", d.status, d.chunk_count AS "chunkCount",
         (SELECT count(*)::int FROM chunks c WHERE c.company_id = d.company_id AND c.document_id = d.id) AS chunks,
         (SELECT count(DISTINCT c.ordinal)::int FROM chunks c
           WHERE c.company_id = d.company_id AND c.document_id = d.id) AS "distinctOrdinals",
         (SELECT coalesce(max(c.ordinal), -1)::int FROM chunks c
           WHERE c.company_id = d.company_id AND c.document_id = d.id) AS "maxOrdinal",
         (SELECT count(*)::int FROM chunk_vectors v
           WHERE v.company_id = d.company_id AND v.document_id = d.id) AS vectors,
         (SELECT count(*)::int FROM keyword_entries k
           WHERE k.company_id = d.company_id AND k.document_id = d.id) AS "keywordEntries",
         (SELECT count(*)::int FROM chunk_vectors v
           WHERE v.company_id = d.company_id AND v.document_id = d.id
             AND NOT EXISTS (SELECT 1 FROM chunks c WHERE c.company_id = v.company_id AND c.id = v.id)) AS "orphanVectors",
         (SELECT count(*)::int FROM keyword_entries k
           WHERE k.company_id = d.company_id AND k.document_id = d.id
             AND NOT EXISTS (SELECT 1 FROM chunks c WHERE c.company_id = k.company_id AND c.id = k.id)) AS "orphanKeywordEntries"
       FROM documents d WHERE d.knowledge_base_id = $1 ORDER BY d.created_at, d.id`,
      [knowledgeBaseId],
    )
    return result.rows
  })
}

/** How many usage events of `kind` the company has. */
export function countUsageEvents(databaseUrl: string, companyId: string, kind: string): Promise<number> {
  return withClient(databaseUrl, async (client) => {
    const result = await client.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM usage_events WHERE company_id = $1 AND kind = $2',
      [companyId, kind],
    )
    return result.rows[0]?.count ?? 0
  })
}

export interface TableWriteLock {
  /** Statements of other sessions waiting for the lock (writers of the table). */
  waitingWriters(): Promise<number>
  /** What every other session of the database is doing, for failure messages. */
  activity(): Promise<string>
  release(): Promise<void>
}

/**
 * Takes an EXCLUSIVE lock on `table` in an open transaction: reads go on, every write waits until
 * `release()`. Lets a test stop a job at its first write to that table, after its earlier writes.
 */
export async function lockTableWrites(databaseUrl: string, table: string): Promise<TableWriteLock> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 })
  await client.connect()
  await client.query('BEGIN')
  await client.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`)
  let released: Promise<void> | undefined
  return {
    // pg_locks is read live; pg_stat_activity would be cached for the rest of this transaction.
    waitingWriters: async () => {
      const result = await client.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM pg_locks
         WHERE locktype = 'relation' AND NOT granted AND relation = $1::regclass
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [table],
      )
      return result.rows[0]?.count ?? 0
    },
    activity: async () => {
      await client.query('SELECT pg_stat_clear_snapshot()')
      const result = await client.query<{ line: string }>(
        `SELECT concat_ws(' | ', a.pid, a.state, a.wait_event_type, a.wait_event,
           'blocked by ' || pg_blocking_pids(a.pid)::text,
           (SELECT string_agg(l.mode || ' on ' || coalesce(l.relation::regclass::text, l.locktype), ', ')
              FROM pg_locks l WHERE l.pid = a.pid AND NOT l.granted),
           left(regexp_replace(a.query, '\\s+', ' ', 'g'), 100)) AS line
         FROM pg_stat_activity a WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()`,
      )
      return result.rows.map((row) => row.line).join('\n')
    },
    release: () => {
      released ??= client.query('ROLLBACK').then(
        () => client.end(),
        () => client.end(),
      )
      return released
    },
  }
}

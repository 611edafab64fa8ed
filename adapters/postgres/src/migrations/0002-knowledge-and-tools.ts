import { type Kysely, sql } from 'kysely'

/** Knowledge bases, documents (with their bytes), chunks, tools, the tool-call trail and secrets. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
CREATE TABLE knowledge_bases (
  company_id uuid NOT NULL REFERENCES companies (id),
  id uuid NOT NULL,
  name text NOT NULL,
  description text NOT NULL,
  chunking jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, name)
);
CREATE INDEX knowledge_bases_company_created_idx ON knowledge_bases (company_id, created_at, id);

CREATE TABLE documents (
  company_id uuid NOT NULL REFERENCES companies (id),
  id uuid NOT NULL,
  knowledge_base_id uuid NOT NULL,
  title text NOT NULL,
  source jsonb NOT NULL,
  media_type text NOT NULL,
  size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
  sha256 text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'indexing', 'ready', 'failed')),
  error text,
  chunk_count integer NOT NULL CHECK (chunk_count >= 0),
  token_count integer NOT NULL CHECK (token_count >= 0),
  content bytea NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  indexed_at timestamptz,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, knowledge_base_id) REFERENCES knowledge_bases (company_id, id) ON DELETE CASCADE
);
CREATE INDEX documents_company_base_created_idx ON documents (company_id, knowledge_base_id, created_at, id);
CREATE INDEX documents_company_base_sha256_idx ON documents (company_id, knowledge_base_id, sha256);

CREATE TABLE chunks (
  company_id uuid NOT NULL REFERENCES companies (id),
  id uuid NOT NULL,
  knowledge_base_id uuid NOT NULL,
  document_id uuid NOT NULL,
  ordinal integer NOT NULL CHECK (ordinal >= 0),
  text text NOT NULL,
  token_count integer NOT NULL CHECK (token_count >= 0),
  heading_path jsonb NOT NULL,
  page integer,
  start_offset integer NOT NULL,
  end_offset integer NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, document_id) REFERENCES documents (company_id, id) ON DELETE CASCADE
);
CREATE INDEX chunks_company_document_idx ON chunks (company_id, document_id, ordinal);

CREATE TABLE tools (
  company_id uuid NOT NULL REFERENCES companies (id),
  id uuid NOT NULL,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('builtin', 'http', 'workflow')),
  description text NOT NULL,
  input_schema jsonb NOT NULL,
  output_schema jsonb,
  timeout_ms integer NOT NULL CHECK (timeout_ms > 0),
  retry jsonb NOT NULL,
  rate_limit_per_minute integer,
  budget jsonb NOT NULL,
  redact jsonb NOT NULL,
  http jsonb,
  workflow jsonb,
  builtin jsonb,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, name)
);

CREATE TABLE tool_calls (
  company_id uuid NOT NULL REFERENCES companies (id),
  id uuid NOT NULL,
  agent_id uuid,
  session_id uuid,
  turn_id uuid,
  tool_name text NOT NULL,
  tool_id uuid,
  arguments jsonb NOT NULL,
  result jsonb NOT NULL,
  status text NOT NULL,
  error_code text,
  error_message text,
  latency_ms integer NOT NULL CHECK (latency_ms >= 0),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id)
);
CREATE INDEX tool_calls_company_created_idx ON tool_calls (company_id, created_at, id);
CREATE INDEX tool_calls_company_tool_created_idx ON tool_calls (company_id, tool_name, created_at);

CREATE TABLE secrets (
  company_id uuid NOT NULL REFERENCES companies (id),
  id uuid NOT NULL,
  name text NOT NULL,
  key_id text NOT NULL,
  ciphertext text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, name)
);
CREATE INDEX secrets_id_idx ON secrets (id);
`)
    .execute(db)
}

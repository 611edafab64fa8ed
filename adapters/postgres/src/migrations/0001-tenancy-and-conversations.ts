import { type Kysely, sql } from 'kysely'

/**
 * Companies, users, API keys, agents with their versions, and conversations. Every tenant table
 * leads with `company_id`; children reference parents through `(company_id, id)`, so a row can never
 * point at another company's parent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
CREATE TABLE companies (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  plan_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'suspended')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX companies_created_idx ON companies (created_at, id);

CREATE TABLE users (
  company_id uuid NOT NULL REFERENCES companies (id),
  id uuid NOT NULL,
  email text NOT NULL CHECK (email = lower(email)),
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
  password_hash text NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'disabled')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, email)
);
CREATE INDEX users_company_created_idx ON users (company_id, created_at, id);
CREATE INDEX users_email_idx ON users (email);

CREATE TABLE api_keys (
  company_id uuid NOT NULL REFERENCES companies (id),
  id uuid NOT NULL,
  name text NOT NULL,
  prefix text NOT NULL UNIQUE,
  hash text NOT NULL,
  permissions jsonb NOT NULL,
  expires_at timestamptz,
  revoked_at timestamptz,
  last_used_at timestamptz,
  created_by text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id)
);
CREATE INDEX api_keys_company_created_idx ON api_keys (company_id, created_at, id);

CREATE TABLE agents (
  company_id uuid NOT NULL REFERENCES companies (id),
  id uuid NOT NULL,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('chat', 'voice', 'task')),
  status text NOT NULL CHECK (status IN ('active', 'disabled')),
  current_version integer NOT NULL CHECK (current_version >= 1),
  latest_version integer NOT NULL CHECK (latest_version >= current_version),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id)
);
CREATE INDEX agents_company_created_idx ON agents (company_id, created_at, id);

CREATE TABLE agent_versions (
  company_id uuid NOT NULL REFERENCES companies (id),
  agent_id uuid NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  config jsonb NOT NULL,
  author text,
  note text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, agent_id, version),
  FOREIGN KEY (company_id, agent_id) REFERENCES agents (company_id, id) ON DELETE CASCADE
);

CREATE TABLE sessions (
  company_id uuid NOT NULL REFERENCES companies (id),
  id uuid NOT NULL,
  agent_id uuid NOT NULL,
  channel text NOT NULL,
  external_user_id text,
  summary text,
  metadata jsonb NOT NULL,
  message_count integer NOT NULL CHECK (message_count >= 0),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, agent_id) REFERENCES agents (company_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_company_updated_idx ON sessions (company_id, updated_at, id);
CREATE INDEX sessions_company_agent_updated_idx ON sessions (company_id, agent_id, updated_at, id);
CREATE INDEX sessions_company_user_idx ON sessions (company_id, external_user_id, updated_at);

CREATE TABLE turns (
  company_id uuid NOT NULL REFERENCES companies (id),
  id uuid NOT NULL,
  session_id uuid NOT NULL,
  agent_id uuid NOT NULL,
  agent_version integer NOT NULL,
  idempotency_key text,
  api_key_id uuid,
  status text NOT NULL CHECK (status IN ('completed', 'failed')),
  result jsonb,
  error jsonb,
  usage jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  completed_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, session_id) REFERENCES sessions (company_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX turns_company_idempotency_key ON turns (company_id, idempotency_key);
CREATE INDEX turns_company_session_idx ON turns (company_id, session_id);

CREATE TABLE messages (
  company_id uuid NOT NULL REFERENCES companies (id),
  id uuid NOT NULL,
  session_id uuid NOT NULL,
  turn_id uuid NOT NULL,
  role text NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
  content text NOT NULL,
  tool_calls jsonb NOT NULL,
  tool_call_id text,
  tool_name text,
  citations jsonb NOT NULL,
  token_count integer NOT NULL CHECK (token_count >= 0),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, session_id) REFERENCES sessions (company_id, id) ON DELETE CASCADE,
  FOREIGN KEY (company_id, turn_id) REFERENCES turns (company_id, id) ON DELETE CASCADE
);
CREATE INDEX messages_company_session_idx ON messages (company_id, session_id, id);
CREATE INDEX messages_company_turn_idx ON messages (company_id, turn_id);
`)
    .execute(db)
}

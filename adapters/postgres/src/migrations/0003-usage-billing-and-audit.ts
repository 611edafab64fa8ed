import { type Kysely, sql } from 'kysely'

/**
 * Usage events and the audit log (append-only: a trigger refuses UPDATE, DELETE and TRUNCATE for
 * every role, the owner included), price books, invoices (immutable once final) and quotas.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
CREATE TABLE usage_events (
  company_id uuid NOT NULL REFERENCES companies (id),
  id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('llm.tokens', 'tool.call', 'kb.query', 'embedding.tokens', 'audio.seconds')),
  occurred_at timestamptz NOT NULL,
  billing_period text NOT NULL CHECK (billing_period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  agent_id uuid,
  session_id uuid,
  turn_id uuid,
  api_key_id uuid,
  provider text,
  model text,
  tool_name text,
  input_tokens bigint NOT NULL CHECK (input_tokens >= 0),
  output_tokens bigint NOT NULL CHECK (output_tokens >= 0),
  cached_input_tokens bigint NOT NULL CHECK (cached_input_tokens >= 0),
  quantity bigint NOT NULL CHECK (quantity >= 0),
  PRIMARY KEY (company_id, id)
);
CREATE INDEX usage_events_company_period_idx ON usage_events (company_id, billing_period, id);
CREATE INDEX usage_events_company_occurred_idx ON usage_events (company_id, occurred_at);
CREATE INDEX usage_events_period_company_idx ON usage_events (billing_period, company_id);

CREATE TABLE audit_log (
  company_id uuid NOT NULL REFERENCES companies (id),
  id uuid NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  resource_type text NOT NULL,
  resource_id text,
  details jsonb NOT NULL,
  request_id text,
  occurred_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id)
);
CREATE INDEX audit_log_company_occurred_idx ON audit_log (company_id, occurred_at, id);

CREATE FUNCTION agentry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$fn$;
CREATE TRIGGER usage_events_append_only BEFORE UPDATE OR DELETE ON usage_events
  FOR EACH ROW EXECUTE FUNCTION agentry_refuse_change();
CREATE TRIGGER usage_events_no_truncate BEFORE TRUNCATE ON usage_events
  FOR EACH STATEMENT EXECUTE FUNCTION agentry_refuse_change();
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION agentry_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION agentry_refuse_change();

CREATE TABLE price_books (
  id uuid PRIMARY KEY,
  plan_id text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  effective_from timestamptz NOT NULL,
  currency text NOT NULL,
  minor_units_per_major integer NOT NULL,
  base_fee_micros bigint NOT NULL,
  prices jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (plan_id, version)
);
CREATE INDEX price_books_plan_effective_idx ON price_books (plan_id, effective_from);

CREATE TABLE invoices (
  company_id uuid NOT NULL REFERENCES companies (id),
  id uuid NOT NULL,
  period text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  currency text NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'final')),
  lines jsonb NOT NULL,
  total bigint NOT NULL,
  digest text NOT NULL,
  price_book_id uuid NOT NULL,
  price_book_version integer NOT NULL,
  event_count integer NOT NULL CHECK (event_count >= 0),
  created_at timestamptz NOT NULL,
  finalized_at timestamptz,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, period)
);
CREATE INDEX invoices_company_final_idx ON invoices (company_id, period) WHERE status = 'final';

CREATE FUNCTION agentry_refuse_final_invoice_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF OLD.status = 'final' THEN
    RAISE EXCEPTION 'invoice % for % is final: % refused', OLD.id, OLD.period, TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER invoices_final_immutable BEFORE UPDATE OR DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION agentry_refuse_final_invoice_change();

CREATE TABLE quotas (
  company_id uuid NOT NULL REFERENCES companies (id),
  id uuid NOT NULL,
  subject_key text NOT NULL,
  subject jsonb NOT NULL,
  metric text NOT NULL CHECK (metric IN ('tokens', 'spend')),
  "limit" bigint NOT NULL CHECK ("limit" >= 0),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, subject_key, metric)
);
`)
    .execute(db)
}

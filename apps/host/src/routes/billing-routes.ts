import type { InvoiceId, PriceBookId, QuotaId } from '@agentry/contracts'
import type { PutQuotaInput } from '@agentry/core'
import { z } from 'zod'
import { data, envelope, idParams, listEnvelope, NoContent, PageQuery, page } from '../http/api-schemas.js'
import { defineArea, defineRoute } from '../http/route-definition.js'
import {
  CreatePriceBookBody,
  InvoiceSchema,
  InvoiceVerificationSchema,
  invoiceToWire,
  PriceBookSchema,
  PutQuotaBody,
  priceBookToWire,
  QuotaSchema,
  QuotaStatusSchema,
  quotaToWire,
  verificationToWire,
} from './billing-schemas.js'

const Period = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM, e.g. 2026-11')
  .describe('A UTC month, YYYY-MM (half-open: its first millisecond to the next month’s).')
const InvoiceParams = idParams('invoiceId')

/** Price books (platform admin), invoices and quotas (docs/billing.md). */
export const billingRoutes = defineArea('billing', [
  defineRoute({
    method: 'GET',
    url: '/price-books',
    access: 'platform-admin',
    summary: 'List price book versions, newest first',
    schema: {
      querystring: z.object({ planId: z.string().min(1).max(63).optional() }),
      response: { 200: envelope(z.array(PriceBookSchema)) },
    },
    handler: async ({ query, context, signal }, { agentry }) =>
      data((await agentry.billing.priceBooks.list(context, query.planId, { signal })).map(priceBookToWire)),
  }),
  defineRoute({
    method: 'GET',
    url: '/price-books/current',
    access: 'billing:view',
    summary: "The price book of the company's plan in force now",
    schema: { response: { 200: envelope(PriceBookSchema) } },
    handler: async ({ context, signal }, { agentry }) =>
      data(priceBookToWire(await agentry.billing.priceBooks.current(context, { signal }))),
  }),
  defineRoute({
    method: 'GET',
    url: '/price-books/:priceBookId',
    access: 'platform-admin',
    summary: 'Get a price book version',
    schema: { params: idParams('priceBookId'), response: { 200: envelope(PriceBookSchema) } },
    handler: async ({ params, context, signal }, { agentry }) =>
      data(
        priceBookToWire(
          await agentry.billing.priceBooks.get(context, params.priceBookId as PriceBookId, { signal }),
        ),
      ),
  }),
  defineRoute({
    method: 'POST',
    url: '/price-books',
    access: 'platform-admin',
    status: 201,
    summary: "Add a plan's next price book version",
    description:
      'Integer prices in micro-units; `effectiveFrom` is the start of a UTC month, this one or later (past periods keep their prices).',
    schema: { body: CreatePriceBookBody, response: { 201: envelope(PriceBookSchema) } },
    handler: async ({ body, context, signal }, { agentry }) =>
      data(priceBookToWire(await agentry.billing.priceBooks.create(context, body, { signal }))),
  }),
  defineRoute({
    method: 'POST',
    url: '/invoices/draft',
    access: 'billing:manage',
    summary: 'Draft (or redraft) the invoice of a period',
    description:
      '201 with a new draft; 200 when an open draft was replaced, or kept because nothing changed (same digest). A final period is 409.',
    schema: {
      body: z.object({ period: Period }).strict(),
      response: { 200: envelope(InvoiceSchema), 201: envelope(InvoiceSchema) },
    },
    handler: async ({ body, context, signal, reply }, { agentry }) => {
      const { invoice, change } = await agentry.billing.invoices.draft(context, body.period, { signal })
      reply.code(change === 'created' ? 201 : 200).send(data(invoiceToWire(invoice)))
      return undefined
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/invoices',
    access: 'billing:view',
    summary: 'List invoices, newest period first',
    schema: { querystring: PageQuery, response: { 200: listEnvelope(InvoiceSchema) } },
    handler: async ({ query, context, signal }, { agentry }) =>
      page(await agentry.billing.invoices.list(context, query, { signal }), invoiceToWire),
  }),
  defineRoute({
    method: 'GET',
    url: '/invoices/:invoiceId',
    access: 'billing:view',
    summary: 'Get an invoice',
    schema: { params: InvoiceParams, response: { 200: envelope(InvoiceSchema) } },
    handler: async ({ params, context, signal }, { agentry }) =>
      data(
        invoiceToWire(await agentry.billing.invoices.get(context, params.invoiceId as InvoiceId, { signal })),
      ),
  }),
  defineRoute({
    method: 'POST',
    url: '/invoices/:invoiceId/finalize',
    access: 'billing:manage',
    summary: 'Finalize an invoice (immutable afterwards; idempotent)',
    description:
      '409 while its period is running, or when the draft no longer recomputes (usage arrived since): draft again first.',
    schema: { params: InvoiceParams, response: { 200: envelope(InvoiceSchema) } },
    handler: async ({ params, context, signal }, { agentry }) =>
      data(
        invoiceToWire(
          await agentry.billing.invoices.finalize(context, params.invoiceId as InvoiceId, { signal }),
        ),
      ),
  }),
  defineRoute({
    method: 'GET',
    url: '/invoices/:invoiceId/verify',
    access: 'billing:view',
    summary: 'Recompute an invoice from its events and price book, and compare',
    schema: { params: InvoiceParams, response: { 200: envelope(InvoiceVerificationSchema) } },
    handler: async ({ params, context, signal }, { agentry }) =>
      data(
        verificationToWire(
          await agentry.billing.invoices.verify(context, params.invoiceId as InvoiceId, { signal }),
        ),
      ),
  }),
  defineRoute({
    method: 'GET',
    url: '/quotas',
    access: 'billing:view',
    summary: "List quotas with their subject's usage this period",
    schema: { response: { 200: envelope(z.array(QuotaStatusSchema)) } },
    handler: async ({ context, signal }, { agentry }) =>
      data((await agentry.billing.quotas.list(context, { signal })).map(quotaToWire)),
  }),
  defineRoute({
    method: 'PUT',
    url: '/quotas',
    access: 'billing:manage',
    summary: 'Set the monthly cap of a subject (company, agent, API key) and metric (tokens, spend)',
    description: 'One quota per subject and metric: putting it again replaces the limit.',
    schema: { body: PutQuotaBody, response: { 200: envelope(QuotaSchema) } },
    handler: async ({ body, context, signal }, { agentry }) =>
      data(quotaToWire(await agentry.billing.quotas.put(context, body as PutQuotaInput, { signal }))),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/quotas/:quotaId',
    access: 'billing:manage',
    status: 204,
    summary: 'Remove a quota',
    schema: { params: idParams('quotaId'), response: { 204: NoContent } },
    handler: async ({ params, context, signal }, { agentry }) => {
      await agentry.billing.quotas.delete(context, params.quotaId as QuotaId, { signal })
      return undefined
    },
  }),
])

import { z } from 'zod'

export const ExtractConfigSchema = z
  .object({
    /** PDFs with more pages are refused with PAYLOAD_TOO_LARGE. */
    maxPdfPages: z.number().int().min(1).max(100_000).default(2000),
  })
  .strict()

export type ExtractConfig = z.output<typeof ExtractConfigSchema>
export type ExtractConfigInput = z.input<typeof ExtractConfigSchema>

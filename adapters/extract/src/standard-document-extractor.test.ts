import { CoreError } from '@agentry/contracts'
import { PDFDocument, StandardFonts } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { createDocumentExtractor } from './create-extract.js'
import { guessMediaType } from './media-type.js'

const extractor = createDocumentExtractor()
const bytes = (text: string) => new TextEncoder().encode(text)

async function makePdf(pages: readonly string[][], title?: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create()
  if (title) pdf.setTitle(title)
  const font = await pdf.embedFont(StandardFonts.Helvetica)
  for (const lines of pages) {
    const page = pdf.addPage([400, 400])
    lines.forEach((line, index) => {
      page.drawText(line, { x: 30, y: 360 - index * 20, size: 12, font })
    })
  }
  return pdf.save()
}

describe('plain text', () => {
  it('decodes UTF-8, drops the BOM and normalises line endings', async () => {
    const document = await extractor.extract(
      bytes('\uFEFFCafé prices\r\nline two\rthree'),
      'text/plain; charset=utf-8',
    )
    expect(document).toEqual({
      text: 'Café prices\nline two\nthree',
      headings: [],
      pageOffsets: null,
      title: null,
    })
  })

  it('refuses bytes that are not UTF-8 with a fix in the message', async () => {
    const latin1 = new Uint8Array([0x43, 0x61, 0x66, 0xe9])
    await expect(extractor.extract(latin1, 'text/plain')).rejects.toSatisfy(
      (error) => CoreError.hasCode(error, 'INVALID_INPUT') && error.message.includes('convert it to UTF-8'),
    )
  })
})

describe('markdown', () => {
  it('finds ATX and setext headings with their offsets, but not inside code fences', async () => {
    const source = [
      '# Returns policy',
      'Items can be returned.',
      '```bash',
      '# not a heading',
      '```',
      'Shipping',
      '--------',
      'We ship worldwide.',
      '### Customs ###',
    ].join('\n')
    const document = await extractor.extract(bytes(source), 'text/markdown')
    expect(document.text).toBe(source)
    expect(document.title).toBe('Returns policy')
    expect(
      document.headings.map(({ level, title }: { level: number; title: string }) => [level, title]),
    ).toEqual([
      [1, 'Returns policy'],
      [2, 'Shipping'],
      [3, 'Customs'],
    ])
    for (const heading of document.headings)
      expect(source.slice(heading.offset)).toMatch(/^(# |Shipping|### )/)
  })
})

describe('html', () => {
  it('keeps visible text and headings, drops scripts and styles, decodes entities', async () => {
    const html = `<!doctype html><html><head><title>Help &amp; Support</title><style>p{color:red}</style></head>
      <body><nav>Home</nav><h1>Refunds</h1><p>Refunds take <b>5&nbsp;days</b>.</p>
      <script>alert("x")</script><h2>Exceptions</h2><ul><li>Gift cards</li><li>Sale items</li></ul></body></html>`
    const document = await extractor.extract(bytes(html), 'text/html')
    expect(document.title).toBe('Help & Support')
    expect(document.text).not.toContain('alert')
    expect(document.text).not.toContain('color:red')
    expect(document.text).toContain('Refunds take 5 days.')
    expect(document.text.split('\n\n')).toEqual([
      'Home',
      'Refunds',
      'Refunds take 5 days.',
      'Exceptions',
      'Gift cards',
      'Sale items',
    ])
    expect(document.headings).toEqual([
      { level: 1, title: 'Refunds', offset: document.text.indexOf('Refunds') },
      { level: 2, title: 'Exceptions', offset: document.text.indexOf('Exceptions') },
    ])
  })
})

describe('pdf', () => {
  it('extracts each page, records where pages start and reads the title', async () => {
    const pdf = await makePdf(
      [
        ['Warranty terms', 'Two years on parts.'],
        ['Claims', 'Email support with the receipt.'],
      ],
      'Warranty',
    )
    const document = await extractor.extract(pdf, 'application/pdf')
    expect(document.title).toBe('Warranty')
    expect(document.pageOffsets).toHaveLength(2)
    const [first, second] = document.pageOffsets ?? []
    expect(first).toBe(0)
    expect(document.text.slice(0, second)).toContain('Two years on parts.')
    expect(document.text.slice(second)).toContain('Email support with the receipt.')
    expect(document.text.slice(second)).not.toContain('Two years')
  })

  it('reports a damaged PDF as invalid input', async () => {
    const pdf = await makePdf([['Hello']])
    const damaged = pdf.slice(0, 40)
    await expect(extractor.extract(damaged, 'application/pdf')).rejects.toSatisfy((error) =>
      CoreError.hasCode(error, 'INVALID_INPUT'),
    )
  })

  it('refuses PDFs over the page limit', async () => {
    const small = createDocumentExtractor({ maxPdfPages: 1 })
    const pdf = await makePdf([['one'], ['two']])
    await expect(small.extract(pdf, 'application/pdf')).rejects.toSatisfy((error) =>
      CoreError.hasCode(error, 'PAYLOAD_TOO_LARGE'),
    )
  })
})

describe('dispatch', () => {
  it('names the supported types for anything else', async () => {
    await expect(extractor.extract(bytes('x'), 'application/msword')).rejects.toSatisfy(
      (error) =>
        CoreError.hasCode(error, 'UNSUPPORTED_MEDIA_TYPE') && error.message.includes('application/pdf'),
    )
  })

  it('stops when the signal is already aborted', async () => {
    await expect(
      extractor.extract(bytes('x'), 'text/plain', { signal: AbortSignal.abort() }),
    ).rejects.toSatisfy((error) => CoreError.hasCode(error, 'CANCELLED'))
  })

  it('guesses media types from the PDF signature and the extension', async () => {
    expect(guessMediaType('upload.bin', await makePdf([['x']]))).toBe('application/pdf')
    expect(guessMediaType('Guide.MD', bytes('# x'))).toBe('text/markdown')
    expect(guessMediaType('page.htm', bytes('<p>'))).toBe('text/html')
    expect(guessMediaType('archive.zip', bytes('PK'))).toBeNull()
  })
})

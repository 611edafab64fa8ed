import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { JsonSchema } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { JsonSchemaValidator } from '../src/index.js'

/**
 * The official JSON-Schema-Test-Suite (draft 2020-12 subset, see fixtures/.../SOURCES.md) run
 * through the same wrapper the tool executor uses to check arguments: one validator, `check`.
 */
const ROOT = join(import.meta.dirname, 'fixtures', 'json-schema-test-suite', 'draft2020-12')

interface SuiteGroup {
  readonly description: string
  readonly schema: JsonSchema | boolean
  readonly tests: readonly { readonly description: string; readonly data: unknown; readonly valid: boolean }[]
}

/** Cases the wrapper does not pass, by `file > group > case`, with the reason. */
const EMPTY_ENUM =
  'ajv refuses `enum: []` when compiling ("enum must have non-empty array"), so a tool cannot be saved with it'
const REF_LOOP =
  "ajv 8.20 recurses without end resolving this $ref chain (RangeError); saving such a schema fails with ajv's message"
const PROTO =
  'with ownProperties (needed for the constructor/toString cases) ajv does not see an own `__proto__` key'
const DATE_TIME = "ajv-formats' date-time is more lenient here"
const URI = "ajv-formats' uri is more lenient here"
const EMAIL = "ajv-formats' email is stricter: quoted local parts and address literals are refused"
const SKIPPED: ReadonlyMap<string, string> = new Map([
  ['enum.json > empty enum > string is invalid', EMPTY_ENUM],
  ['enum.json > empty enum > number is invalid', EMPTY_ENUM],
  ['enum.json > empty enum > null is invalid', EMPTY_ENUM],
  ['enum.json > empty enum > object is invalid', EMPTY_ENUM],
  ['enum.json > empty enum > array is invalid', EMPTY_ENUM],
  ['enum.json > empty enum > boolean is invalid', EMPTY_ENUM],
  ['ref.json > refs with relative uris and defs > invalid on inner field', REF_LOOP],
  ['ref.json > refs with relative uris and defs > invalid on outer field', REF_LOOP],
  ['ref.json > refs with relative uris and defs > valid on both fields', REF_LOOP],
  ['ref.json > relative refs with absolute uris and defs > invalid on inner field', REF_LOOP],
  ['ref.json > relative refs with absolute uris and defs > invalid on outer field', REF_LOOP],
  ['ref.json > relative refs with absolute uris and defs > valid on both fields', REF_LOOP],
  ['ref.json > URN ref with nested pointer ref > a string is valid', REF_LOOP],
  ['ref.json > URN ref with nested pointer ref > a non-string is invalid', REF_LOOP],
  [
    'properties.json > properties whose names are Javascript object property names > __proto__ not valid',
    PROTO,
  ],
  [
    'optional/format/date-time.json > validation of date-time strings > a numeric offset without minutes is invalid',
    DATE_TIME,
  ],
  [
    'optional/format/date-time.json > validation of date-time strings > hour 24 is invalid even with a leap second',
    DATE_TIME,
  ],
  [
    'optional/format/date-time.json > validation of date-time strings > a second fraction of fifteen nines is valid',
    DATE_TIME,
  ],
  ['optional/format/uri.json > validation of URIs > non-numeric port is invalid', URI],
  [
    'optional/format/uri.json > validation of URIs > leading zero in an embedded IPv4 address is invalid',
    URI,
  ],
  ['optional/format/uri.json > validation of URIs > square brackets are not allowed in a path segment', URI],
  [
    'optional/format/uuid.json > uuid format > URN prefixed UUID is invalid',
    "ajv-formats' uuid accepts the urn:uuid: prefix",
  ],
  [
    'optional/format/email.json > validation of e-mail addresses > a quoted string with a space in the local part is valid',
    EMAIL,
  ],
  [
    'optional/format/email.json > validation of e-mail addresses > a quoted string with a double dot in the local part is valid',
    EMAIL,
  ],
  [
    'optional/format/email.json > validation of e-mail addresses > a quoted string with a @ in the local part is valid',
    EMAIL,
  ],
  [
    'optional/format/email.json > validation of e-mail addresses > an IPv4-address-literal after the @ is valid',
    EMAIL,
  ],
  [
    'optional/format/email.json > validation of e-mail addresses > an IPv6-address-literal after the @ is valid',
    EMAIL,
  ],
])

function suiteFiles(directory: string): string[] {
  return readdirSync(directory)
    .sort()
    .flatMap((name) => {
      const path = join(directory, name)
      if (statSync(path).isDirectory()) return suiteFiles(path)
      return name.endsWith('.json') ? [path] : []
    })
}

const files = suiteFiles(ROOT)
const validator = new JsonSchemaValidator()
let caseCount = 0

for (const file of files) {
  const name = relative(ROOT, file)
  const groups = JSON.parse(readFileSync(file, 'utf8')) as SuiteGroup[]
  describe(name, () => {
    for (const group of groups) {
      describe(group.description, () => {
        for (const test of group.tests) {
          caseCount += 1
          const key = `${name} > ${group.description} > ${test.description}`
          const reason = SKIPPED.get(key)
          it.skipIf(reason !== undefined)(
            `${test.description}${reason ? ` (skipped: ${reason})` : ''}`,
            () => {
              const check = validator.check(group.schema as JsonSchema, test.data)
              expect(check.valid, check.valid ? 'accepted' : check.errors.join('; ')).toBe(test.valid)
            },
          )
        }
      })
    }
  })
}

describe('the suite itself', () => {
  it('is all there: 30 files and the 849 cases SOURCES.md counts', () => {
    expect(files).toHaveLength(30)
    expect(caseCount).toBe(849)
  })
})

/** What a redacted field's value becomes in audit rows and logs. */
export const REDACTED = '[REDACTED]'

/**
 * A field path: names separated by dots, `[]` after a name for "every item of this array"
 * (`password`, `card.number`, `items[].ssn`, `[].token` for a top-level array). Paths start at
 * the root of the arguments or the result.
 */
export const REDACTION_PATH_PATTERN =
  /^(?:[A-Za-z0-9_$-]{1,64}|\[\])(?:\[\])*(?:\.[A-Za-z0-9_$-]{1,64}(?:\[\])*)*$/

type Step = { readonly type: 'key'; readonly name: string } | { readonly type: 'each' }

function parsePath(path: string): Step[] {
  const steps: Step[] = []
  for (const part of path.split('.')) {
    const name = part.replace(/(\[\])+$/, '')
    if (name !== '') steps.push({ type: 'key', name })
    const arrays = (part.length - name.length) / 2
    for (let index = 0; index < arrays; index += 1) steps.push({ type: 'each' })
  }
  return steps
}

/**
 * A function that returns a copy of a value with every field on `paths` replaced by `[REDACTED]`.
 * Values that do not have a path are left alone; the input is never changed.
 */
export function createRedactor(paths: readonly string[]): (value: unknown) => unknown {
  const parsed = paths.filter((path) => REDACTION_PATH_PATTERN.test(path)).map(parsePath)
  if (parsed.length === 0) return (value) => value
  return (value) => {
    let result = value
    for (const steps of parsed) result = redactAt(result, steps, 0)
    return result
  }
}

function redactAt(value: unknown, steps: readonly Step[], index: number): unknown {
  const step = steps[index]
  if (step === undefined) return REDACTED
  if (step.type === 'each') {
    if (!Array.isArray(value)) return value
    return value.map((item) => redactAt(item, steps, index + 1))
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  if (!Object.hasOwn(value, step.name)) return value
  const record = value as Record<string, unknown>
  return { ...record, [step.name]: redactAt(record[step.name], steps, index + 1) }
}

/**
 * Replaces every occurrence of the given secret strings in `text` (longest first, so a value that
 * contains another is removed whole). Strings shorter than 4 characters are ignored: removing them
 * would mangle ordinary text and hides nothing.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  const wanted = [...new Set(secrets)]
    .filter((secret) => secret.length >= 4)
    .sort((a, b) => b.length - a.length)
  let scrubbed = text
  for (const secret of wanted) scrubbed = scrubbed.split(secret).join(REDACTED)
  return scrubbed
}

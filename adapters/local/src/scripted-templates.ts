import type { JsonValue } from '@agentry/contracts'

const VARIABLE = /\{\{\s*([^{}\s]+)\s*\}\}/g
const SIMPLE_VARIABLES = new Set(['input', 'context', 'answer', 'toolResults'])

/** Looks up one template variable's text; unknown or absent values render as ''. */
export type TemplateResolver = (name: string) => string

/**
 * Checks that every `{{variable}}` in a template is one the scripted model knows, so a typo is
 * reported when the agent is saved rather than rendered as nothing. Returns the problem or undefined.
 */
export function templateProblem(template: string): string | undefined {
  for (const [, name] of template.matchAll(VARIABLE)) {
    if (name === undefined || SIMPLE_VARIABLES.has(name)) continue
    if (/^match\.\w+$/.test(name) || /^tool\..+$/.test(name)) continue
    return `unknown template variable {{${name}}}: use {{input}}, {{context}}, {{answer}}, {{toolResults}}, {{match.<group>}} or {{tool.<name>}}`
  }
  return undefined
}

/** Replaces each `{{variable}}` in `template` with its value. */
export function renderTemplate(template: string, resolve: TemplateResolver): string {
  return template.replace(VARIABLE, (_, name: string) => resolve(name))
}

/** Renders every string inside a JSON value (keys stay as written). */
export function renderJsonTemplates(value: JsonValue, resolve: TemplateResolver): JsonValue {
  if (typeof value === 'string') return renderTemplate(value, resolve)
  if (Array.isArray(value)) return value.map((item) => renderJsonTemplates(item, resolve))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, renderJsonTemplates(item as JsonValue, resolve)]),
    )
  }
  return value
}

/** Every template string inside a JSON value, for validation. */
export function jsonTemplateProblem(value: unknown): string | undefined {
  if (typeof value === 'string') return templateProblem(value)
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = jsonTemplateProblem(item)
      if (problem) return problem
    }
  } else if (value !== null && typeof value === 'object') {
    return jsonTemplateProblem(Object.values(value))
  }
  return undefined
}

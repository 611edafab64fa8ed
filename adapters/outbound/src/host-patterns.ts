/**
 * Host patterns: `api.example.com` matches that host only; `*.example.com` matches any subdomain
 * (not `example.com` itself). Matching ignores case and a trailing dot.
 */
export function hostMatches(host: string, pattern: string): boolean {
  const name = normalise(host)
  const wanted = normalise(pattern)
  if (wanted.startsWith('*.')) return name.endsWith(wanted.slice(1)) && name.length > wanted.length - 1
  return name === wanted
}

export function matchesAny(host: string, patterns: readonly string[] | undefined): boolean {
  return (patterns ?? []).some((pattern) => hostMatches(host, pattern))
}

function normalise(value: string): string {
  return value.trim().toLowerCase().replace(/\.$/, '')
}

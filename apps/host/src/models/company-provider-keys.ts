import type { CallOptions, CompanyId, SecretVault, Stores } from '@agentry/contracts'
import { tenantScope } from '@agentry/contracts'

/** The company secret that holds its own key for each provider (bring your own key). */
export const PROVIDER_KEY_SECRETS = {
  openai: 'openai_api_key',
  anthropic: 'anthropic_api_key',
} as const

export type KeyedProvider = keyof typeof PROVIDER_KEY_SECRETS

/** A company's own key for one provider, or null when it has none (the adapter then uses the platform key). */
export type CompanyKeyResolver = (companyId: CompanyId, options?: CallOptions) => Promise<string | null>

/**
 * The `resolveApiKey` of each provider adapter: the company's `<provider>_api_key` secret, read in
 * the company's scope and decrypted with the vault on every resolve (so a changed or deleted secret
 * counts at the next turn). Without a vault no company can have stored one: always null. A secret
 * that cannot be decrypted fails the call (`UNAVAILABLE` or `INTERNAL` from the vault, which never
 * puts key material in its messages) rather than silently billing the platform's key.
 */
export function companyProviderKeys(
  stores: Pick<Stores, 'secrets'>,
  vault: SecretVault | null,
): Record<KeyedProvider, CompanyKeyResolver> {
  const resolverFor =
    (name: string): CompanyKeyResolver =>
    async (companyId, options) => {
      if (!vault) return null
      const secret = await stores.secrets.getByName(tenantScope(companyId), name, options)
      if (!secret) return null
      return vault.decrypt(secret.value, { companyId, name })
    }
  return {
    openai: resolverFor(PROVIDER_KEY_SECRETS.openai),
    anthropic: resolverFor(PROVIDER_KEY_SECRETS.anthropic),
  }
}

import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SecretVault } from '@agentry/contracts'
import { createSecretVault } from '@agentry/vault'
import type { Config } from '../config/load-config.js'

/** The key id of a master key the platform generated for itself (embedded default). */
export const GENERATED_KEY_ID = 'generated'
export const MASTER_KEY_FILE = 'master-key'

/**
 * The vault for company secrets. `AGENTRY_MASTER_KEY` (+ `AGENTRY_PREVIOUS_MASTER_KEYS`) when set.
 * Otherwise, on the embedded platform, a key generated on first start into `<data dir>/master-key`
 * (mode 0600), which the log says; production must set its own key. A generated key that exists
 * next to a configured one is still accepted for reading, so switching to a configured key is:
 * set it, restart, run `agentry secrets rotate`. With an external database and no key there is no
 * vault: secrets fail with a message saying to set `AGENTRY_MASTER_KEY`.
 */
export function createVault(config: Config, log: (line: string) => void): SecretVault | null {
  const configured = config.secrets.masterKey
  const generated = readGeneratedKey(config)
  if (configured) {
    const previous = [...config.secrets.previousKeys]
    const isKnown = [configured, ...previous].some((key) => key.id === GENERATED_KEY_ID)
    if (generated && !isKnown) previous.push(generated)
    return createSecretVault({ keys: [configured, ...previous], currentKeyId: configured.id })
  }
  if (config.storage.kind !== 'embedded') {
    log('AGENTRY_MASTER_KEY is not set: company secrets (tool credentials, provider keys) are disabled.')
    return null
  }
  if (generated) return createSecretVault({ keys: [generated] })
  const key = randomBytes(32).toString('base64')
  if (config.storage.dataDir === 'memory') {
    log('AGENTRY_MASTER_KEY is not set: secrets use a per-process key and are lost at restart.')
    return createSecretVault({ keys: [{ id: GENERATED_KEY_ID, key }] })
  }
  const path = join(config.dataDir, MASTER_KEY_FILE)
  mkdirSync(config.dataDir, { recursive: true })
  writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' })
  chmodSync(path, 0o600)
  log(
    `AGENTRY_MASTER_KEY is not set: generated a master key for company secrets in ${path} (0600). ` +
      'Production must set AGENTRY_MASTER_KEY (openssl rand -base64 32) and keep it out of the data directory.',
  )
  return createSecretVault({ keys: [{ id: GENERATED_KEY_ID, key }] })
}

function readGeneratedKey(config: Config): { id: string; key: string } | null {
  if (config.storage.kind !== 'embedded' || config.storage.dataDir === 'memory') return null
  try {
    const key = readFileSync(join(config.dataDir, MASTER_KEY_FILE), 'utf8').trim()
    return key ? { id: GENERATED_KEY_ID, key } : null
  } catch {
    return null
  }
}

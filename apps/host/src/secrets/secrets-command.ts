import { CoreError } from '@agentry/contracts'
import type { Command } from 'commander'
import { compose } from '../compose.js'
import type { Config } from '../config/load-config.js'

/**
 * `agentry secrets rotate`: re-encrypts every company's secrets under the current master key
 * (`AGENTRY_MASTER_KEY`), reading old values with `AGENTRY_PREVIOUS_MASTER_KEYS` (or the generated
 * key). Safe to run twice and while the platform serves: each value is swapped only if unchanged.
 */
export function addSecretsCommand(
  program: Command,
  config: () => Config,
  print: (line: string) => void,
): void {
  const secrets = program.command('secrets').description('Company secrets (encrypted tool credentials)')
  secrets
    .command('rotate')
    .description(
      'Re-encrypt every secret under the current master key (run after changing AGENTRY_MASTER_KEY)',
    )
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      const composition = await compose(config())
      try {
        const report = await composition.agentry.secrets.rotate({
          actor: { type: 'system', reason: 'agentry secrets rotate' },
          requestId: 'cli',
        })
        if (options.json) print(JSON.stringify(report))
        else {
          print(
            `Checked ${report.checked} secret(s): ${report.rotated} re-encrypted under key "${report.keyId}", ` +
              `${report.current} already under it, ${report.changed} changed meanwhile (left alone).`,
          )
          for (const failed of report.failed) {
            print(
              `Could not decrypt ${failed.name} of company ${failed.companyId} (${failed.code}): add its key to AGENTRY_PREVIOUS_MASTER_KEYS.`,
            )
          }
        }
        if (report.failed.length > 0) {
          throw new CoreError('UNAVAILABLE', `${report.failed.length} secret(s) could not be re-encrypted.`, {
            isRetryable: false,
          })
        }
      } finally {
        await composition.close()
      }
    })
}

#!/usr/bin/env node
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { CoreError } from '@agentry/contracts'
import { Command } from 'commander'
import { compose } from './compose.js'
import { type Config, loadConfig } from './config/load-config.js'
import { demoInstructions } from './demo/demo-instructions.js'
import { seedDemo } from './demo/seed-demo.js'
import { addKnowledgeCommand } from './knowledge/kb-command.js'
import { addSecretsCommand } from './secrets/secrets-command.js'
import { type ServerMode, startServer, stopOnSignals } from './server.js'

export interface CliIo {
  readonly environment: Readonly<Record<string, string | undefined>>
  readonly print: (line: string) => void
  readonly printError: (line: string) => void
}

const PROCESS_IO: CliIo = {
  environment: process.env,
  print: (line) => process.stdout.write(`${line}\n`),
  printError: (line) => process.stderr.write(`${line}\n`),
}

/** The `agentry` command line. `serving.isServing` turns true once a server or worker runs. */
export function createCli(io: CliIo = PROCESS_IO, serving = { isServing: false }): Command {
  const program = new Command('agentry')
    .description('Agentry: a multi-tenant platform for AI agents (API, worker, administration).')
    .showHelpAfterError()
    .exitOverride()
  const config = () => loadConfig(io.environment)

  const serve = (mode: ServerMode) => async () => {
    const server = await startServer(config(), { mode, print: io.print })
    stopOnSignals(server, server.observability.pino)
    serving.isServing = true
  }
  program
    .command('start')
    .description('API and worker in one process; embedded database by default; seeds the demo on first start')
    .action(serve('all'))
  program.command('api').description('The HTTP API only').action(serve('api'))
  program.command('worker').description('The background job worker only').action(serve('worker'))

  program
    .command('migrate')
    .description('Apply pending database migrations (safe to run twice or from several processes)')
    .action(() =>
      withComposition(config(), false, async (composition) => {
        const report = await composition.migrate()
        io.print(
          report.applied.length === 0
            ? 'The database is up to date: no migration to apply.'
            : `Applied ${report.applied.length} migration(s): ${report.applied.join(', ')}.`,
        )
      }),
    )

  const company = program.command('company').description('Manage companies (tenants)')
  company
    .command('create')
    .description('Create a company and print its id and first admin API key (shown once)')
    .requiredOption('--name <name>', 'the company name')
    .option('--plan <planId>', 'billing plan (default free)')
    .option('--json', 'print JSON: { "companyId", "name", "apiKey" }')
    .action((options: { name: string; plan?: string; json?: boolean }) =>
      withComposition(config(), undefined, async (composition) => {
        const created = await composition.agentry.companies.create(
          { actor: { type: 'platform-admin' }, requestId: 'cli' },
          { name: options.name, ...(options.plan ? { planId: options.plan } : {}) },
        )
        const { company: made, adminKey } = created
        if (options.json) {
          io.print(JSON.stringify({ companyId: made.id, name: made.name, apiKey: adminKey.key }))
          return
        }
        io.print(`Company "${made.name}" created: ${made.id}`)
        io.print(`Admin API key (shown once, store it now): ${adminKey.key}`)
      }),
    )

  program
    .command('demo')
    .description('Seed the demo company and agent (once) and print curl lines to try them')
    .action(() => {
      const settings = config()
      return withComposition(settings, undefined, async (composition) => {
        const seed = await seedDemo(composition, settings.dataDir)
        const url = settings.publicUrl ?? `http://127.0.0.1:${settings.port}`
        for (const line of demoInstructions(seed, url)) io.print(line)
        io.print('')
        io.print(`Start the platform with "agentry start" (or npm start) first if it is not running.`)
      })
    })
  addSecretsCommand(program, config, io.print)
  addKnowledgeCommand(program, config, io.print)
  return program
}

async function withComposition(
  config: Config,
  migrate: boolean | undefined,
  work: (composition: Awaited<ReturnType<typeof compose>>) => Promise<void>,
): Promise<void> {
  const composition = await compose(config, migrate === undefined ? {} : { migrate })
  try {
    await work(composition)
  } finally {
    await composition.close()
  }
}

/**
 * Parses `argv` and runs the command; prints CoreErrors as one readable message. Resolves with the
 * exit code, or `serving` when a server or worker now runs until a signal.
 */
export async function runCli(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number | 'serving'> {
  const serving = { isServing: false }
  const program = createCli(io, serving)
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return serving.isServing ? 'serving' : 0
  } catch (error) {
    const commanderCode = (error as { code?: string }).code
    if (commanderCode === 'commander.helpDisplayed' || commanderCode === 'commander.version') return 0
    if (commanderCode?.startsWith('commander.')) return 2
    io.printError(CoreError.isInstance(error) ? `${error.code}: ${error.message}` : String(error))
    return 1
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1]
  if (!script) return false
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url
  } catch {
    return false
  }
}

if (isEntryPoint()) {
  runCli(process.argv.slice(2)).then((code) => {
    // Servers run until a signal; one-shot commands end here even if a library left a timer behind.
    if (code !== 'serving') process.exit(code)
  })
}

import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The built CLI, as `npm run agentry` and the deploy images run it. */
export const CLI_PATH = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))

const OUTPUT_LINES_KEPT = 400

/** Children still running; killed when the test process exits, so an aborted run leaves none behind. */
const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/**
 * One `agentry <command>` child process running the built CLI (`apps/host/dist/cli.js`) on the
 * test's Node. Its stdout and stderr lines are kept, so a test can wait for a start-up line and a
 * failure message can show what the process said.
 */
export class AgentryProcess {
  readonly name: string
  readonly child: ChildProcess
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  readonly exited: Promise<number | string>
  readonly #lines: string[] = []
  readonly #listeners = new Set<() => void>()
  #exit: number | string | undefined

  private constructor(name: string, child: ChildProcess) {
    this.name = name
    this.child = child
    running.add(child)
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(child)
        this.#exit = code ?? signal ?? 'unknown'
        this.#notify()
        resolve(this.#exit)
      })
    })
    for (const stream of [child.stdout, child.stderr]) {
      let partial = ''
      stream?.setEncoding('utf8')
      stream?.on('data', (text: string) => {
        const pieces = (partial + text).split('\n')
        partial = pieces.pop() ?? ''
        this.#lines.push(...pieces)
        if (this.#lines.length > OUTPUT_LINES_KEPT)
          this.#lines.splice(0, this.#lines.length - OUTPUT_LINES_KEPT)
        this.#notify()
      })
    }
  }

  /**
   * Starts `agentry <argv>` with exactly `environment` (plus PATH, and Node's compile cache so the
   * processes of a test start faster), so the runner's own variables stay out.
   */
  static start(name: string, argv: readonly string[], environment: Record<string, string>): AgentryProcess {
    if (!existsSync(CLI_PATH)) {
      throw new Error(
        `${CLI_PATH} is missing: build the host first (npx turbo run build --filter=@agentry/host)`,
      )
    }
    const child = spawn(process.execPath, [CLI_PATH, ...argv], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_COMPILE_CACHE: join(tmpdir(), 'agentry-test-compile-cache'),
        ...environment,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    return new AgentryProcess(name, child)
  }

  get isRunning(): boolean {
    return this.#exit === undefined
  }

  /** The last lines the process printed, for failure messages. */
  output(last = 40): string {
    return this.#lines.slice(-last).join('\n')
  }

  /** Resolves with the first line (printed so far or later) matching `pattern`; fails if the process ends first. */
  waitForLine(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (const line of this.#lines) {
          const match = pattern.exec(line)
          if (match) return finish(() => resolve(match))
        }
        if (this.#exit !== undefined) {
          finish(() =>
            reject(
              new Error(`${this.name} exited (${this.#exit}) before printing ${pattern}:\n${this.output()}`),
            ),
          )
        }
      }
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(
              new Error(`${this.name} did not print ${pattern} within ${timeoutMs} ms:\n${this.output()}`),
            ),
          ),
        timeoutMs,
      )
      const finish = (settle: () => void) => {
        clearTimeout(timer)
        this.#listeners.delete(check)
        settle()
      }
      this.#listeners.add(check)
      check()
    })
  }

  /** Sends `signal` (SIGTERM by default) and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string> {
    if (this.isRunning) this.child.kill(signal)
    return this.exited
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener()
  }
}

/** Runs a one-shot `agentry <argv>` and fails with its output unless it exits 0. */
export async function runAgentry(
  argv: readonly string[],
  environment: Record<string, string>,
): Promise<string> {
  const command = AgentryProcess.start(`agentry ${argv.join(' ')}`, argv, environment)
  const code = await command.exited
  if (code !== 0) throw new Error(`agentry ${argv.join(' ')} exited ${code}:\n${command.output()}`)
  return command.output()
}

import type { DemoSeed } from './seed-demo.js'

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`
}

/** A curl line that chats with an agent; `stream` asks for server-sent events. */
export function chatCurl(
  baseUrl: string,
  agentId: string,
  apiKey: string,
  message: string,
  stream = false,
): string {
  return [
    `curl -s${stream ? 'N' : ''} ${baseUrl}/api/v1/agents/${agentId}/chat`,
    `-H ${shellQuote(`Authorization: Bearer ${apiKey}`)}`,
    "-H 'Content-Type: application/json'",
    ...(stream ? ["-H 'Accept: text/event-stream'"] : []),
    `-d ${shellQuote(JSON.stringify({ message }))}`,
  ].join(' ')
}

/** What the start-up banner and `agentry demo` print about the demo company. */
export function demoInstructions(seed: DemoSeed, baseUrl: string): string[] {
  return [
    seed.isNew ? 'Seeded the demo company "Demo Company" with the agent "Demo Helper".' : 'Demo company:',
    `  API key (admin of the demo company): ${seed.apiKey}`,
    `  kept in ${seed.file} (mode 0600) so later starts can print it; delete the file to seed a new demo.`,
    `  agent id: ${seed.agentId}`,
    '',
    'Chat with the demo agent:',
    `  ${chatCurl(baseUrl, seed.agentId, seed.apiKey, 'Hello')}`,
    'Streamed (server-sent events):',
    `  ${chatCurl(baseUrl, seed.agentId, seed.apiKey, 'What can you do?', true)}`,
    ...seed.tryLines.map((line) => `  ${line}`),
  ]
}

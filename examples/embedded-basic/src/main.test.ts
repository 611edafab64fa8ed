import { expect, it } from 'vitest'
import { main } from './main.js'

it('embeds the runtime: a plain turn and a tool turn, each with its answer and usage', async () => {
  const lines: string[] = []
  await main((line) => lines.push(line))
  expect(lines[0]).toMatch(
    /^Company "Example Co" created; its admin API key starts with agt_[0-9a-f]{12} \(shown once\)\.$/,
  )
  expect(lines).toContain('< Hello! Ask me what time it is.')
  expect(lines).toContain('> What time is it?')
  const timeAnswer = lines.find((line) => line.startsWith('< It is '))
  expect(timeAnswer).toMatch(/^< It is "\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z" \(UTC\)\.$/)
  const usages = lines.filter((line) => line.startsWith('  usage:'))
  expect(usages[0]).toMatch(
    /^ {2}usage: 1 model call\(s\), [1-9]\d* input \+ [1-9]\d* output tokens; tools: none$/,
  )
  expect(usages[1]).toMatch(/^ {2}usage: 2 model call\(s\), .*; tools: time\.now \(ok\)$/)
  expect(lines.at(-1)).toMatch(
    /^Company usage: llm\.tokens 3 event\(s\), \d+ in \/ \d+ out tokens; tool\.call 1 event\(s\)/,
  )
})

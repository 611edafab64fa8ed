import { checkTree } from './dependency-direction.mjs'

const problems = checkTree(process.cwd())
for (const { path, problem } of problems) console.error(`${path}: ${problem}`)
if (problems.length > 0) process.exit(1)
console.log('dependency direction: ok')

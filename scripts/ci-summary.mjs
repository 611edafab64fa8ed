// Prints CI's closing line, `N passed, N failed`, from vitest's JSON report. A failed non-test step
// (install, build, typecheck, lint) counts as one failure so it can never pass silently.
import { existsSync, readFileSync } from 'node:fs'

const [reportPath, failedStepCount = '0', failedSteps = ''] = process.argv.slice(2)
let passed = 0
let failed = 0
if (reportPath && existsSync(reportPath)) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'))
  passed = report.numPassedTests
  failed = report.numFailedTests
  const brokenFiles = report.testResults.filter(
    (file) => file.status === 'failed' && file.assertionResults.length === 0,
  )
  for (const file of brokenFiles) console.log(`test file failed to run: ${file.name}: ${file.message ?? ''}`)
  failed += brokenFiles.length
  if (report.numTotalTestSuites === 0) failed += 1
} else {
  console.log('no test report was written')
  failed += 1
}
const steps = Number(failedStepCount)
const testStepFailed = failedSteps.split(' ').includes('tests')
if (steps > 0) console.log(`failed steps: ${failedSteps}`)
failed += steps - (testStepFailed ? 1 : 0)
if (testStepFailed && failed === 0) failed = 1
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)

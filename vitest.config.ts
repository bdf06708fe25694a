import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Browser-driven tests share two cores: run files one at a time.
    fileParallelism: false,
    reporters: ['default', ['json', {outputFile: 'build/test-results.json'}]]
  }
})

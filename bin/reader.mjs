#!/usr/bin/env node
// The `reader` command: runs the TypeScript CLI through tsx, so a checkout needs no compile step.
import {register} from 'tsx/esm/api'

register()
const {main} = await import('../scripts/cli.ts')
process.exitCode = await main(process.argv.slice(2))
// Interrupted: stop now, whatever work was left running (the exit hooks kill the browsers and remove
// the temporary folders).
if (process.exitCode === 130) process.exit(130)

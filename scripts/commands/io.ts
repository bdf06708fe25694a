/** Where a command prints: the terminal (`processIO`), or a test’s buffers (`main(argv, io)`). */
export interface IO {
  stdout(text: string): void
  stderr(text: string): void
}

export const processIO: IO = {
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n')
}

// Prints the plain closing line CI reads ("N passed, N failed[, N skipped]") as the very last
// output, after Jest's own summary (hence at process exit).
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
    process.on('exit', () => process.stderr.write(line));
  }
}
module.exports = SummaryReporter;

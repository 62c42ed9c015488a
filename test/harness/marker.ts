/**
 * The workbench forwards both its own log and the extension host's console to the test runner;
 * the suite's reporter output starts with this marker so the runner can print only that.
 */
export const HOST_OUTPUT_MARKER = '\u2063host\u2063';

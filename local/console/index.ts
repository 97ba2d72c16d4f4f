/** The local console (`/_local`): what the local stack serves of its own records. See README.md. */
export { CONSOLE_PATH, LocalConsole, type LocalConsoleOptions } from './localConsole.ts';
export { ConsoleViews, type ConsoleSources, type ExecutionSummary } from './consoleViews.ts';
export { EventStreams, isEvent, type StreamSummary, type StreamTable } from './eventStreams.ts';
export { executionGraph, type ExecutionGraph, type GraphState, type StateStatus } from './executionGraph.ts';
export { RecentRecords, type DeliveryRecord, type PipeBatchRecord } from './recentRecords.ts';
export { searchById, type SearchMatch } from './commandSearch.ts';

// The public API of the context layer: attachments as Cohere documents, chunking, budget, citation lines.
export { chunkText, splitLines } from './chunk';
export type { ChunkOptions, LineChunk } from './chunk';
export {
    chunkId,
    documentData,
    fileAttachments,
    fingerprint,
    linesTitle,
    problemAttachments,
} from './documents';
export type { Problem, ProblemSeverity, SourceFile } from './documents';
export { DEFAULT_MAX_FILE_BYTES, formatBytes, looksBinary, refusalOf, refusalText } from './fileRules';
export type { Refusal } from './fileRules';
export { estimateTokens, leftOutText, planBudget } from './budget';
export type { BudgetInput, BudgetPlan, TokenCounter } from './budget';
export { citedLines, findInText, locateNow, narrowIn } from './citationLines';
export type { LineRange, Located } from './citationLines';

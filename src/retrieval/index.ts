// The public API of the retrieval layer (no vscode): the workspace index, its search, `@workspace`.
export { WorkspaceIndex, INDEX_FORMAT_VERSION, looksGenerated } from './workspaceIndex';
export type { ChunkRef, FileSource, IndexOptions, ListedFile, SearchHit, SyncReport } from './workspaceIndex';
export { LexicalIndex } from './lexical';
export { BinaryVectors, fuseRanks } from './semantic';
export { GitignoreSet, parseGitignore } from './gitignore';
export { EMBED_BATCH, embedMissing } from './embedder';
export type { EmbedPlan } from './embedder';
export { askWorkspace, consentFor } from './ask';
export type { AskOptions, AskResult, ConsentSetting } from './ask';
export { DiskSource } from './diskSource';
export { indexSearch } from './toolSearch';
export type { IndexSearchOptions } from './toolSearch';
export { forEachTerm, termsOf } from './terms';

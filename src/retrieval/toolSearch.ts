// The workspace index as the search_workspace tool's search: the same candidates, Rerank and
// (semantic) query embedding as `@workspace`, given back as passages of files under the indexed root.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { WorkspacePassage, WorkspaceSearch } from '../tools/searchWorkspace';
import { askWorkspace } from './ask';
import type { AskOptions } from './ask';

export interface IndexSearchOptions {
    /** The folder the index's paths are relative to. */
    root: string;
    /** Everything `@workspace` is asked with but the question, made fresh for each query (the index may be rebuilt). */
    prepare: (query: string) => Promise<Omit<AskOptions, 'question' | 'uriOf'> | undefined>;
}

/** A WorkspaceSearch over the index; no passages when `prepare` has no index. */
export function indexSearch(options: IndexSearchOptions): WorkspaceSearch {
    return {
        async search(query: string, signal: AbortSignal): Promise<WorkspacePassage[]> {
            const prepared = await options.prepare(query);
            signal.throwIfAborted();
            if (prepared === undefined) return [];
            const result = await askWorkspace({
                ...prepared,
                question: query,
                uriOf: (path) => pathToFileURL(join(options.root, ...path.split('/'))).href,
            });
            return result.attachments.flatMap((attachment) =>
                attachment.uri === undefined || attachment.startLine === undefined
                    ? []
                    : [
                          {
                              absolutePath: fileURLToPath(attachment.uri),
                              startLine: attachment.startLine,
                              endLine: attachment.endLine ?? attachment.startLine,
                              text: attachment.text,
                          },
                      ],
            );
        },
    };
}

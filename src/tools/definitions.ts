// The tools offered to the model: names, descriptions and JSON Schemas, and the check of a call's
// arguments against its schema (the model can send anything; a bad call goes back as an error).
import type { Tool } from '../cohere/types';

export const READ_TOOLS = [
    'read_file',
    'list_directory',
    'find_files',
    'search_text',
    'get_problems',
    'get_selection',
] as const;
/** Offered only with the workspace index and the person's consent to workspace retrieval. */
export const SEARCH_WORKSPACE_TOOL = 'search_workspace';
export const WRITE_TOOLS = ['edit_file', 'create_file'] as const;
export const COMMAND_TOOL = 'run_command';
export type ToolName =
    | (typeof READ_TOOLS)[number]
    | typeof SEARCH_WORKSPACE_TOOL
    | (typeof WRITE_TOOLS)[number]
    | typeof COMMAND_TOOL;

interface Schema {
    type: 'object' | 'string' | 'integer' | 'array';
    description?: string;
    properties?: Record<string, Schema>;
    required?: string[];
    items?: Schema;
    minimum?: number;
}

const PATH: Schema = {
    type: 'string',
    description: 'A path relative to the workspace root, with / separators, e.g. src/app.ts.',
};

const SCHEMAS: Record<ToolName, { description: string; parameters: Schema }> = {
    read_file: {
        description:
            'Read a text file of the workspace, or a range of its lines (1-based, inclusive). Long files are cut; the result says so and how to read on.',
        parameters: {
            type: 'object',
            properties: {
                path: PATH,
                start_line: { type: 'integer', minimum: 1, description: 'First line to read (default 1).' },
                end_line: {
                    type: 'integer',
                    minimum: 1,
                    description: 'Last line to read (default: up to the cap).',
                },
            },
            required: ['path'],
        },
    },
    list_directory: {
        description:
            'List the files and folders of a workspace folder (folders end with /). Use "." for the root.',
        parameters: { type: 'object', properties: { path: PATH }, required: ['path'] },
    },
    find_files: {
        description: 'Find workspace files whose path matches a glob, e.g. **/*.test.ts or src/**/config*.',
        parameters: {
            type: 'object',
            properties: { glob: { type: 'string', description: 'A glob relative to the workspace root.' } },
            required: ['glob'],
        },
    },
    search_text: {
        description:
            'Search the text of workspace files for a string (case-insensitive). Returns the matching lines with their line numbers.',
        parameters: {
            type: 'object',
            properties: {
                query: { type: 'string', description: 'The text to look for.' },
                glob: { type: 'string', description: 'Only search files matching this glob (default: all).' },
            },
            required: ['query'],
        },
    },
    search_workspace: {
        description:
            'Search the workspace index by meaning and keywords, e.g. "where are retries decided". Returns the best-matching passages with their file and lines; read_file reads around them.',
        parameters: {
            type: 'object',
            properties: { query: { type: 'string', description: 'What to look for, in words.' } },
            required: ['query'],
        },
    },
    get_problems: {
        description: 'The errors and warnings VS Code reports, for one file or for the whole workspace.',
        parameters: {
            type: 'object',
            properties: { path: { ...PATH, description: 'A file; omit for all files.' } },
        },
    },
    get_selection: {
        description: "The text selected in the person's active editor, with its file and lines.",
        parameters: { type: 'object', properties: {} },
    },
    edit_file: {
        description:
            'Propose edits to a file you have read. The person sees a diff and applies or rejects it. Each edit is either a line range {start_line, end_line, new_text} (lines of the file as you read it; end_line = start_line - 1 inserts before start_line) or a search/replace block {search, replace} whose search text occurs exactly once.',
        parameters: {
            type: 'object',
            properties: {
                path: PATH,
                edits: {
                    type: 'array',
                    items: {
                        type: 'object',
                        properties: {
                            start_line: { type: 'integer', minimum: 1 },
                            end_line: { type: 'integer', minimum: 0 },
                            new_text: { type: 'string' },
                            search: { type: 'string' },
                            replace: { type: 'string' },
                        },
                    },
                },
            },
            required: ['path', 'edits'],
        },
    },
    create_file: {
        description: 'Propose a new file. The person sees it as a diff and applies or rejects it.',
        parameters: {
            type: 'object',
            properties: { path: PATH, content: { type: 'string', description: 'The whole file.' } },
            required: ['path', 'content'],
        },
    },
    run_command: {
        description:
            'Run a shell command in a VS Code terminal in the workspace root. The person is asked first, shown the exact command.',
        parameters: {
            type: 'object',
            properties: { command: { type: 'string', description: 'The command line.' } },
            required: ['command'],
        },
    },
};

/** The wire definition of each named tool, in the order given. */
export function toolDefinitions(names: readonly ToolName[]): Tool[] {
    return names.map((name) => ({
        type: 'function',
        function: {
            name,
            description: SCHEMAS[name].description,
            parameters: SCHEMAS[name].parameters as unknown as Record<string, unknown>,
        },
    }));
}

export function isToolName(name: string): name is ToolName {
    return Object.prototype.hasOwnProperty.call(SCHEMAS, name);
}

/**
 * A call's arguments parsed and checked against the tool's schema, or the reason they are not
 * usable. `""` and `"null"` mean no arguments (the API sends those for tools without parameters).
 */
export function parseArguments(
    name: ToolName,
    text: string | undefined,
): { ok: true; args: Record<string, unknown> } | { ok: false; error: string } {
    let value: unknown;
    const trimmed = (text ?? '').trim();
    if (trimmed === '' || trimmed === 'null') {
        value = {};
    } else {
        try {
            value = JSON.parse(trimmed);
        } catch {
            return { ok: false, error: 'the arguments are not valid JSON' };
        }
    }
    const problem = check(SCHEMAS[name].parameters, value, 'arguments');
    return problem === undefined
        ? { ok: true, args: value as Record<string, unknown> }
        : { ok: false, error: problem };
}

function check(schema: Schema, value: unknown, where: string): string | undefined {
    switch (schema.type) {
        case 'object': {
            if (typeof value !== 'object' || value === null || Array.isArray(value))
                return `${where} must be an object`;
            const record = value as Record<string, unknown>;
            for (const key of schema.required ?? []) {
                if (record[key] === undefined || record[key] === null) return `${where}.${key} is required`;
            }
            for (const [key, item] of Object.entries(record)) {
                const property = schema.properties?.[key];
                if (property === undefined) return `${where}.${key} is not a parameter of this tool`;
                if (item === null) continue;
                const problem = check(property, item, `${where}.${key}`);
                if (problem !== undefined) return problem;
            }
            return undefined;
        }
        case 'string':
            return typeof value === 'string' ? undefined : `${where} must be a string`;
        case 'integer':
            if (typeof value !== 'number' || !Number.isInteger(value)) return `${where} must be an integer`;
            if (schema.minimum !== undefined && value < schema.minimum)
                return `${where} must be at least ${schema.minimum}`;
            return undefined;
        case 'array': {
            if (!Array.isArray(value)) return `${where} must be an array`;
            for (const [index, item] of value.entries()) {
                const problem =
                    schema.items === undefined ? undefined : check(schema.items, item, `${where}[${index}]`);
                if (problem !== undefined) return problem;
            }
            return undefined;
        }
    }
}

// The tool settings (`cohere.tools.*`) and when tools are offered at all. No vscode import: the
// accessor comes in, as for src/config.ts.

export const DEFAULT_MAX_STEPS = 8;
export const MAX_MAX_STEPS = 25;

export interface ToolSettings {
    /** `cohere.tools.enabled`: off by default; the model may then read the workspace and propose edits. */
    enabled: boolean;
    /** `cohere.tools.maxSteps`: tool rounds per reply. */
    maxSteps: number;
    /** `cohere.tools.runCommand`: offer run_command (each call still asks). Off by default. */
    runCommand: boolean;
}

/** Reads the tool settings through `get` (keys under `cohere.`), with defaults for anything unusable. */
export function parseToolSettings(get: (key: string) => unknown): ToolSettings {
    const steps = get('tools.maxSteps');
    return {
        enabled: get('tools.enabled') === true,
        maxSteps:
            typeof steps === 'number' && Number.isFinite(steps)
                ? Math.min(MAX_MAX_STEPS, Math.max(1, Math.floor(steps)))
                : DEFAULT_MAX_STEPS,
        runCommand: get('tools.runCommand') === true,
    };
}

/**
 * Tools are offered when the setting is on, the workspace is trusted and has a folder, and the model
 * supports them. `features` is the model's list from /v1/models, or undefined when the list is not
 * known (not loaded, or a gateway without it): then the setting decides.
 */
export function toolsOffered(options: {
    settings: ToolSettings;
    trusted: boolean;
    hasFolder: boolean;
    features: readonly string[] | undefined;
}): boolean {
    if (!options.settings.enabled || !options.trusted || !options.hasFolder) return false;
    return options.features === undefined || options.features.includes('tools');
}

// The names of the scripted tool scenarios (toolScenarios.ts), in a file of their own so spec.ts can
// list them without importing the builders (which import spec.ts).
export const TOOL_SCENARIOS = [
    'tools-read',
    'tools-edit',
    'tools-bad-args',
    'tools-reasoning',
    'tools-loop',
    'tools-command',
    'tools-search',
    'tools-code-block',
] as const;
export type ToolScenario = (typeof TOOL_SCENARIOS)[number];

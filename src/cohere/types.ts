// Cohere Chat API V2 wire types, in their wire form (snake_case), as documented in
// ../shared/docs/cohere-v2-api.md. Enums are "known literals or any string": the API adds
// values (finish reasons, citation types) and a client must pass unknown ones through.

/** A string enum that also accepts values this client does not know yet. */
export type OpenEnum<T extends string> = T | (string & {});

// ---------------------------------------------------------------------------------------------
// Request

export interface TextContent {
    type: 'text';
    text: string;
}

export interface ImageUrlContent {
    type: 'image_url';
    image_url: { url: string; detail?: OpenEnum<'auto' | 'low' | 'high'> };
}

export interface ThinkingContent {
    type: 'thinking';
    thinking: string;
}

export interface DocumentContent {
    type: 'document';
    document: { data: Record<string, unknown>; id?: string };
}

export interface SystemMessage {
    role: 'system';
    content: string | TextContent[];
}

export interface UserMessage {
    role: 'user';
    content: string | (TextContent | ImageUrlContent)[];
}

export interface AssistantMessage {
    role: 'assistant';
    content?: string | (TextContent | ThinkingContent)[];
    tool_calls?: ToolCall[];
    tool_plan?: string;
    citations?: Citation[];
}

export interface ToolMessage {
    role: 'tool';
    tool_call_id: string;
    content: string | (TextContent | DocumentContent)[];
}

export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

export interface ToolCall {
    id?: string;
    type?: 'function';
    function?: { name?: string; arguments?: string };
}

export interface Tool {
    type: 'function';
    function: { name: string; description?: string; parameters: Record<string, unknown> };
}

/** A RAG document: a plain string, or `data` fields with an optional id (else the server assigns `doc:N`). */
export type Document = string | { data: Record<string, unknown>; id?: string };

export type CitationMode = OpenEnum<'ENABLED' | 'DISABLED' | 'FAST' | 'ACCURATE' | 'OFF'>;
export type SafetyMode = OpenEnum<'CONTEXTUAL' | 'STRICT' | 'OFF'>;

export type ResponseFormat =
    { type: 'text' } | { type: 'json_object'; json_schema?: Record<string, unknown> };

export interface Thinking {
    type: OpenEnum<'enabled' | 'disabled'>;
    token_budget?: number;
}

/** The body of `POST /v2/chat` without `stream`, which the client sets itself. */
export interface ChatRequest {
    model: string;
    messages: ChatMessage[];
    tools?: Tool[];
    strict_tools?: boolean;
    documents?: Document[];
    citation_options?: { mode?: CitationMode };
    response_format?: ResponseFormat;
    safety_mode?: SafetyMode;
    max_tokens?: number;
    stop_sequences?: string[];
    temperature?: number;
    seed?: number;
    frequency_penalty?: number;
    presence_penalty?: number;
    k?: number;
    p?: number;
    logprobs?: boolean;
    tool_choice?: OpenEnum<'REQUIRED' | 'NONE'>;
    thinking?: Thinking;
    priority?: number;
}

// ---------------------------------------------------------------------------------------------
// Response

export type FinishReason = OpenEnum<
    'COMPLETE' | 'STOP_SEQUENCE' | 'MAX_TOKENS' | 'TOOL_CALL' | 'ERROR' | 'TIMEOUT'
>;

export interface DocumentSource {
    type: 'document';
    id?: string;
    /** The document's data fields plus its `id`, e.g. `{ id, title, snippet }`. */
    document?: Record<string, unknown>;
}

export interface ToolSource {
    type: 'tool';
    id?: string;
    tool_output?: Record<string, unknown>;
}

export type Source = DocumentSource | ToolSource;

export interface Citation {
    /** Offset of the cited span in the content block's text (UTF-16 code units, as JavaScript counts). */
    start?: number;
    /** End of the cited span, exclusive. */
    end?: number;
    text?: string;
    sources?: Source[];
    /** Index of the content block the span is in; 0 when missing. */
    content_index?: number;
    type?: OpenEnum<'TEXT_CONTENT' | 'THINKING_CONTENT' | 'PLAN'>;
}

export interface Usage {
    billed_units?: {
        input_tokens?: number;
        output_tokens?: number;
        search_units?: number;
        classifications?: number;
    };
    /** `image_tokens`: not in the spec, but real replies to images carry it (counted in `input_tokens`). */
    tokens?: { input_tokens?: number; output_tokens?: number; image_tokens?: number };
    cached_tokens?: number;
}

export interface LogprobItem {
    text?: string;
    token_ids: number[];
    logprobs?: number[];
}

export type AssistantContent = TextContent | ThinkingContent;

export interface AssistantMessageResponse {
    role: 'assistant';
    content?: AssistantContent[];
    tool_calls?: ToolCall[];
    tool_plan?: string;
    citations?: Citation[];
}

export interface ChatResponse {
    id: string;
    finish_reason: FinishReason;
    message: AssistantMessageResponse;
    usage?: Usage;
    logprobs?: LogprobItem[];
}

// ---------------------------------------------------------------------------------------------
// Stream events (the JSON in each SSE `data:` line), discriminated by `type`.

export interface MessageStartEvent {
    type: 'message-start';
    id?: string;
    delta?: { message?: Partial<AssistantMessageResponse> & Record<string, unknown> };
}

export interface ContentStartEvent {
    type: 'content-start';
    index?: number;
    delta?: {
        message?: { content?: { type?: OpenEnum<'text' | 'thinking'>; text?: string; thinking?: string } };
    };
}

export interface ContentDeltaEvent {
    type: 'content-delta';
    index?: number;
    delta?: { message?: { content?: { text?: string; thinking?: string } } };
    logprobs?: LogprobItem;
}

export interface ContentEndEvent {
    type: 'content-end';
    index?: number;
}

export interface ToolPlanDeltaEvent {
    type: 'tool-plan-delta';
    delta?: { message?: { tool_plan?: string } };
}

export interface ToolCallStartEvent {
    type: 'tool-call-start';
    index?: number;
    delta?: { message?: { tool_calls?: ToolCall } };
}

export interface ToolCallDeltaEvent {
    type: 'tool-call-delta';
    index?: number;
    delta?: { message?: { tool_calls?: { function?: { arguments?: string } } } };
}

export interface ToolCallEndEvent {
    type: 'tool-call-end';
    index?: number;
}

export interface CitationStartEvent {
    type: 'citation-start';
    /** Counts citations (0, 1, …); it is not the content index. */
    index?: number;
    delta?: { message?: { citations?: Citation } };
}

export interface CitationEndEvent {
    type: 'citation-end';
    index?: number;
}

export interface MessageEndEvent {
    type: 'message-end';
    id?: string;
    /** `error` and `error_type` (e.g. `INVALID_TOOL_GENERATION`) come with `finish_reason: "ERROR"`. */
    delta?: { finish_reason?: FinishReason; usage?: Usage; error?: string; error_type?: string };
}

export interface DebugEvent {
    type: 'debug';
    prompt?: string;
}

export type ChatStreamEvent =
    | MessageStartEvent
    | ContentStartEvent
    | ContentDeltaEvent
    | ContentEndEvent
    | ToolPlanDeltaEvent
    | ToolCallStartEvent
    | ToolCallDeltaEvent
    | ToolCallEndEvent
    | CitationStartEvent
    | CitationEndEvent
    | MessageEndEvent
    | DebugEvent;

export type ChatStreamEventType = ChatStreamEvent['type'];

// ---------------------------------------------------------------------------------------------
// Other endpoints

export type CompatibleEndpoint = OpenEnum<
    'chat' | 'embed' | 'classify' | 'summarize' | 'rerank' | 'rate' | 'generate'
>;

export interface ModelInfo {
    name?: string;
    is_deprecated?: boolean;
    endpoints?: CompatibleEndpoint[];
    finetuned?: boolean;
    context_length?: number;
    tokenizer_url?: string;
    default_endpoints?: CompatibleEndpoint[];
    features?: string[];
    sampling_defaults?: Record<string, number>;
}

export interface ListModelsResponse {
    models: ModelInfo[];
    next_page_token?: string;
}

export interface CheckApiKeyResponse {
    valid: boolean;
    organization_id?: string;
    owner_id?: string;
}

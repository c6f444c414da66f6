// A huge table renders as text (issue 7). A browser lays a table out as a whole — every column's width
// depends on every row — so a table of tens of thousands of cells froze the panel at each layout. Past
// MAX_TABLE_CELLS a table is shown as its markdown source in a plain code block: the text is all there
// (and copyable), it costs what plain text costs, and nothing is lost but the grid.
import type { MarkdownIt, StateCore } from 'markdown-it';

/** Cells (header included) a table may have and still render as a table: e.g. 2,000 rows of 5 columns. */
export const MAX_TABLE_CELLS = 10_000;

// markdown-it's names of the core rule to follow, and of this one (rule names, not words for the page).
const BLOCK_RULE = 'block';
const RULE_NAME = 'cap_tables';

/** Adds the cap to `markdown`: a core rule after block parsing, before inline parsing of the cells. */
export function capTables(markdown: MarkdownIt): void {
    markdown.core.ruler.after(BLOCK_RULE, RULE_NAME, (state) => {
        capTablesIn(state);
    });
}

function capTablesIn(state: StateCore): void {
    const tokens = state.tokens;
    let lines: string[] | undefined;
    for (let open = 0; open < tokens.length; open++) {
        if (tokens[open]?.type !== 'table_open') continue;
        let cells = 0;
        let close = open + 1;
        for (; close < tokens.length && tokens[close]?.type !== 'table_close'; close++) {
            const type = tokens[close]?.type;
            if (type === 'td_open' || type === 'th_open') cells++;
        }
        const map = tokens[open]?.map;
        if (cells <= MAX_TABLE_CELLS || map === undefined || map === null) continue;
        lines ??= state.src.split('\n');
        const text = new state.Token('code_block', 'code', 0);
        text.content = lines.slice(map[0], map[1]).join('\n') + '\n';
        text.map = map;
        text.block = true;
        tokens.splice(open, close - open + 1, text);
    }
}

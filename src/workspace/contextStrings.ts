// The context layer's sentences (src/context/strings.ts) in the display language, for the host side.
import * as vscode from 'vscode';
import { translateContextStrings } from '../context/strings';
import type { ContextStrings } from '../context/strings';

let translated: ContextStrings | undefined;

/** The table through `vscode.l10n.t`, made once: the display language cannot change without a reload. */
export function contextStrings(): ContextStrings {
    translated ??= translateContextStrings((english) => vscode.l10n.t(english));
    return translated;
}

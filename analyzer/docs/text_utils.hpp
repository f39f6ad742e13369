#pragma once

// Small text helpers shared by the document reader and `docs sync`. Internal to analyzer/docs.

#include <string>
#include <string_view>
#include <vector>

namespace dbaudit::docs {

std::string Trim(std::string_view text);
std::string Lower(std::string_view text);
// Splits `text` into lines ending in "\n", "\r\n" or a lone "\r", as CommonMark (and so
// cmark-gfm's line numbers) counts them; the endings are dropped. A final line without a
// newline counts; an empty text has no lines.
std::vector<std::string> SplitLines(const std::string& text);
// The first line ending in `text` ("\n", "\r\n" or "\r"); "\n" when there is none.
std::string FirstLineEnding(const std::string& text);
// Replaces every byte sequence that is not UTF-8 by U+FFFD; `bad_lines` gets the 1-based
// lines where that happened.
std::string SanitizeUtf8(const std::string& text, std::vector<unsigned>& bad_lines);

// The cells of one GFM table row, as written (trimmed, "\|" kept). Leading and trailing
// pipes are optional.
std::vector<std::string> SplitTableRow(const std::string& line);
// True for a GFM delimiter row ("|---|:---:|").
bool IsDelimiterRow(const std::string& line);
// Inline Markdown dropped: code spans, emphasis, links ("[users](#users)" -> "users"),
// "\|" -> "|". White space collapsed.
std::string StripInlineMarkup(std::string_view text);
// "\|" -> "|" (a cell's text as a human means it).
std::string UnescapePipes(const std::string& cell);
std::string EscapePipes(const std::string& text);
// A SQL name as people write one in a document: letters, digits, '_', '$', not starting
// with a digit.
bool IsIdentifier(std::string_view text);
// Splits on `separator` outside parentheses.
std::vector<std::string> SplitOutsideParentheses(const std::string& text, char separator);

}  // namespace dbaudit::docs

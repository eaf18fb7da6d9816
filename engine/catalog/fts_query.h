#pragma once
/// Turns what a person typed into a safe SQLite FTS5 MATCH expression. Plain C++; any thread.
///
/// Every whitespace-separated word becomes a quoted string with a prefix star (`"word"*`), so FTS5
/// syntax characters typed by the user (quotes, `*`, `:`, `^`, `-`, parentheses, AND/OR/NOT/NEAR)
/// are data, never operators. Inside the quotes FTS5 applies the table's tokenizer, so `my_lora`
/// becomes the phrase `my lora*` and CJK text stays one token run. Words with no letter or digit
/// are dropped (they would tokenize to nothing). Words are ANDed.

#include <string>
#include <string_view>

namespace easel::catalog {

/// The MATCH expression, or "" when the text holds no searchable word (caller then lists all).
std::string ftsMatchExpression(std::string_view userText);

} // namespace easel::catalog

#pragma once
/// Text cleanup in front of the CLIP tokenizer: an ftfy-like fixer, Python's html.unescape and
/// CLIP's whitespace collapse. Plain C++; any thread.
///
/// Ref: ftfy 6.3.1 fix_text (default options); CPython Lib/html/__init__.py unescape;
///      openai CLIP simple_tokenizer.py basic_clean / whitespace_clean.
///
/// What ftfy does that is reproduced: HTML entity unescape (only when the line has no '<', as
/// ftfy's "auto" mode), mojibake repair of UTF-8 read as Latin-1 / Windows-1252, C1 controls,
/// Latin ligatures, fullwidth forms, curly quotes, line breaks, terminal escapes, control
/// characters, NFC. Approximated: ftfy's "badness" score, which decides whether text is mojibake.
/// Here a sequence is repaired when its Windows-1252 bytes are valid UTF-8 and it starts with
/// "Â"/"Ã", contains a Windows-1252 punctuation/C1 byte, or is 3-4 bytes long (or the whole line
/// re-encodes as UTF-8 with one such sign). Random pairs such as "Å³" or "ë\u00a0\u00ad" may be
/// judged differently from ftfy. Not reproduced: ftfy's rarer codecs (MacRoman, cp437,
/// Windows-1250/1251, ISO-8859-2); prompts needing those are left unchanged.

#include <string>
#include <string_view>

namespace easel::text {

/// ftfy.fix_text(text) with default options (see header comment for the scope).
std::string ftfyFixText(std::string_view text);

/// Python html.unescape(text).
std::string htmlUnescape(std::string_view text);

/// CLIP whitespace_clean: runs of Unicode whitespace -> one space, then Python strip().
std::string collapseWhitespace(std::string_view text);

/// Python str.lower() (full Unicode lowercase).
std::string lowercase(std::string_view text);

} // namespace easel::text

#pragma once
/// Unicode facts for the CLIP tokenizer's cleanup and pre-tokenizer: categories, lowercase, NFC,
/// fullwidth forms, HTML entities. Tables are generated from Python 3.11's unicodedata (Unicode 14)
/// by engine/text/tools/tokenizer_unicode_gen.py, because the reference tokenizers ran there.
/// Plain C++, immutable data: any thread.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace easel::text::unicode {

struct CodeRange { char32_t lo, hi; };
struct CodeMap { char32_t from, to; };
struct CodeString { char32_t from; const char* utf8; };
struct CombiningClass { char32_t lo, hi; std::uint8_t ccc; };
struct Decomposition { char32_t from; std::uint8_t length; char32_t to[4]; };
struct Composition { char32_t first, second, composite; };
struct NamedEntity { const char* name; const char* utf8; };

// Generated tables (tokenizer_unicode_tables.cpp).
extern const CodeRange kLetterRanges[];        extern const std::size_t kLetterRangesCount;
extern const CodeRange kNumberRanges[];        extern const std::size_t kNumberRangesCount;
extern const CodeRange kWordRanges[];          extern const std::size_t kWordRangesCount;
extern const CodeRange kCasedRanges[];         extern const std::size_t kCasedRangesCount;
extern const CodeRange kCaseIgnorableRanges[]; extern const std::size_t kCaseIgnorableRangesCount;
extern const CodeMap kLowercase[];             extern const std::size_t kLowercaseCount;
extern const CombiningClass kCombiningClasses[]; extern const std::size_t kCombiningClassCount;
extern const Decomposition kDecompositions[];  extern const std::size_t kDecompositionCount;
extern const Composition kCompositions[];      extern const std::size_t kCompositionCount;
extern const CodeString kWidthMap[];           extern const std::size_t kWidthMapCount;
extern const NamedEntity kHtml5Entities[];     extern const std::size_t kHtml5EntityCount;
extern const NamedEntity kFtfyEntities[];      extern const std::size_t kFtfyEntityCount;
extern const CodeMap kInvalidCharRefs[];       extern const std::size_t kInvalidCharRefCount;
extern const CodeRange kInvalidCodepoints[];   extern const std::size_t kInvalidCodepointsCount;

/// \p{L}
bool isLetter(char32_t c);
/// \p{N}
bool isNumber(char32_t c);
/// Python re's Unicode \w (str.isalnum() or '_').
bool isWordChar(char32_t c);
/// Unicode White_Space (what `regex`'s \s matches).
bool isWhitespace(char32_t c);
/// Python str.isspace() (used by str.strip()).
bool isPythonSpace(char32_t c);

/// Python str.lower() over the whole string (U+0130 -> "i\u0307", final sigma).
std::u32string toLower(std::u32string_view text);
/// NFC normalisation.
std::u32string toNFC(std::u32string_view text);

/// ftfy fix_character_width replacement for c, nullptr when c is kept.
const char* widthReplacement(char32_t c);
/// Python html.entities.html5[name] (name with or without ';'), nullptr when absent.
const char* html5Entity(std::string_view name);
/// ftfy's HTML_ENTITIES["&" + name] (name ends with ';'), nullptr when absent.
const char* ftfyEntity(std::string_view name);
/// Python html.unescape of a numeric reference's code point (may be empty, may be U+FFFD).
std::u32string numericCharRef(std::uint64_t number);

/// UTF-8 <-> UTF-32. Invalid bytes decode to U+FFFD (inputs come from JSON/Qt, so valid UTF-8).
std::u32string fromUtf8(std::string_view text);
std::string toUtf8(std::u32string_view text); ///< one code point at a time: core::appendUtf8

} // namespace easel::text::unicode

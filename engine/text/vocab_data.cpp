// Embeds resources/vocab/bpe_simple_vocab_16e6.txt.gz with the assembler's .incbin, so the 1.3 MB
// file costs nothing to compile. EASEL_CLIP_VOCAB_PATH (absolute) comes from engine/text/sources.cmake.
#include "engine/text/vocab.h"

#ifndef EASEL_CLIP_VOCAB_PATH
#error "EASEL_CLIP_VOCAB_PATH must name bpe_simple_vocab_16e6.txt.gz (set in engine/text/sources.cmake)"
#endif

__asm__(".pushsection .rodata\n"
        ".balign 16\n"
        ".globl easel_clip_vocab_gz_begin\n"
        ".hidden easel_clip_vocab_gz_begin\n"
        "easel_clip_vocab_gz_begin:\n"
        ".incbin \"" EASEL_CLIP_VOCAB_PATH "\"\n"
        ".globl easel_clip_vocab_gz_end\n"
        ".hidden easel_clip_vocab_gz_end\n"
        "easel_clip_vocab_gz_end:\n"
        ".byte 0\n"
        ".popsection\n");

extern "C" const char easel_clip_vocab_gz_begin[];
extern "C" const char easel_clip_vocab_gz_end[];

namespace easel::text {

std::string_view embeddedVocabGz() {
    return {easel_clip_vocab_gz_begin, static_cast<std::size_t>(easel_clip_vocab_gz_end - easel_clip_vocab_gz_begin)};
}

} // namespace easel::text

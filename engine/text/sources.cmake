# text: list this folder's files here (see engine/CMakeLists.txt).

# --- tokenizer and prompt syntax (torch-free) ---
set(EASEL_CLIP_VOCAB_GZ ${PROJECT_SOURCE_DIR}/resources/vocab/bpe_simple_vocab_16e6.txt.gz)
# vocab_data.cpp embeds the vocabulary with .incbin: give it the absolute path and rebuild it when
# the file changes.
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/vocab_data.cpp PROPERTIES
    COMPILE_DEFINITIONS "EASEL_CLIP_VOCAB_PATH=\"${EASEL_CLIP_VOCAB_GZ}\""
    OBJECT_DEPENDS ${EASEL_CLIP_VOCAB_GZ}
    SKIP_PRECOMPILE_HEADERS ON)
list(APPEND EASEL_SUPPORT_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/vocab.cpp
    ${CMAKE_CURRENT_LIST_DIR}/vocab_data.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tokenizer.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tokenizer_cleanup.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tokenizer_unicode.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tokenizer_unicode_tables.cpp
    ${CMAKE_CURRENT_LIST_DIR}/prompt_text_util.cpp
    ${CMAKE_CURRENT_LIST_DIR}/prompt_attention.cpp
    ${CMAKE_CURRENT_LIST_DIR}/prompt_extra_networks.cpp
    ${CMAKE_CURRENT_LIST_DIR}/prompt_multicond.cpp
    ${CMAKE_CURRENT_LIST_DIR}/prompt_schedule.cpp
    ${CMAKE_CURRENT_LIST_DIR}/prompt_token_count.cpp
    ${CMAKE_CURRENT_LIST_DIR}/chunking.cpp
)

# --- CLIP / OpenCLIP text encoders, emphasis, textual inversion, family conditioning (torch) ---
list(APPEND EASEL_ENGINE_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/text_encoder.cpp
    ${CMAKE_CURRENT_LIST_DIR}/clip_text_model.cpp
    ${CMAKE_CURRENT_LIST_DIR}/open_clip_text_model.cpp
    ${CMAKE_CURRENT_LIST_DIR}/emphasis.cpp
    ${CMAKE_CURRENT_LIST_DIR}/embeddings.cpp
    ${CMAKE_CURRENT_LIST_DIR}/conditioner.cpp
)
# engine/api/prompt_info.h (token counts, extra networks) for the widgets, implemented here.
list(APPEND EASEL_SUPPORT_SOURCES ${CMAKE_CURRENT_LIST_DIR}/prompt_info_api.cpp)

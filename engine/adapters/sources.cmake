# adapters: LoRA/LyCORIS parsing, merge with exact restore, name resolution.
list(APPEND EASEL_SUPPORT_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/embedding_resolver.cpp
    ${CMAKE_CURRENT_LIST_DIR}/lora_resolver.cpp
)
list(APPEND EASEL_ENGINE_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/lora_file.cpp
    ${CMAKE_CURRENT_LIST_DIR}/lora_math.cpp
    ${CMAKE_CURRENT_LIST_DIR}/lora_merge.cpp
    ${CMAKE_CURRENT_LIST_DIR}/lora_cache.cpp
    ${CMAKE_CURRENT_LIST_DIR}/lora_jobs.cpp
    ${CMAKE_CURRENT_LIST_DIR}/lora_targets.cpp
    ${CMAKE_CURRENT_LIST_DIR}/lora_manager.cpp
)

# io: model files. Parsing, classification and hashing are torch-free (easel_support, the catalog
# links them); turning entries into tensors is the torch half (easel_engine).
list(APPEND EASEL_SUPPORT_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/mapped_file.cpp
    ${CMAKE_CURRENT_LIST_DIR}/safetensors.cpp
    ${CMAKE_CURRENT_LIST_DIR}/safetensors_writer.cpp
)
list(APPEND EASEL_ENGINE_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/state_dict.cpp
)

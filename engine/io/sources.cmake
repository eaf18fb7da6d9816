# io: model files. Parsing, classification and hashing are torch-free (easel_support, the catalog
# links them); turning entries into tensors is the torch half (easel_engine).
list(APPEND EASEL_SUPPORT_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/mapped_file.cpp
    ${CMAKE_CURRENT_LIST_DIR}/host_buffer_pool.cpp
    ${CMAKE_CURRENT_LIST_DIR}/safetensors.cpp
    ${CMAKE_CURRENT_LIST_DIR}/safetensors_writer.cpp
    ${CMAKE_CURRENT_LIST_DIR}/key_map_unet.cpp
    ${CMAKE_CURRENT_LIST_DIR}/key_map_vae.cpp
    ${CMAKE_CURRENT_LIST_DIR}/key_map_controlnet.cpp
    ${CMAKE_CURRENT_LIST_DIR}/key_map_clip.cpp
    ${CMAKE_CURRENT_LIST_DIR}/yaml_lite.cpp
    ${CMAKE_CURRENT_LIST_DIR}/model_detect.cpp
    ${CMAKE_CURRENT_LIST_DIR}/model_check.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sidecar_config.cpp
    ${CMAKE_CURRENT_LIST_DIR}/hashes.cpp
    ${CMAKE_CURRENT_LIST_DIR}/zip_reader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/zip_reader_io.cpp
    ${CMAKE_CURRENT_LIST_DIR}/pickle.cpp
    ${CMAKE_CURRENT_LIST_DIR}/checkpoint_file.cpp
    ${CMAKE_CURRENT_LIST_DIR}/model_inventory.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sd15_layout.cpp
    # GenerationRequest <-> JSON (engine/api/request.h), images as base64 PNG.
    ${CMAKE_CURRENT_LIST_DIR}/request_json.cpp
)
list(APPEND EASEL_ENGINE_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/state_dict.cpp
    ${CMAKE_CURRENT_LIST_DIR}/diffusers_loader.cpp
)

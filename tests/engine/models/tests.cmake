easel_add_test(test_unet_golden SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_unet_golden.cpp
    LIBS easel_engine nlohmann_json::nlohmann_json LABELS engine golden TORCH)
easel_add_test(test_vae_golden SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_vae_golden.cpp
    LIBS easel_engine nlohmann_json::nlohmann_json LABELS engine golden TORCH)
easel_add_test(test_controlnet_golden SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_controlnet_golden.cpp
    LIBS easel_engine nlohmann_json::nlohmann_json LABELS engine golden TORCH)
easel_add_test(test_fast_path SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_fast_path.cpp
    LIBS easel_engine nlohmann_json::nlohmann_json LABELS engine golden TORCH)
easel_add_test(test_circular_padding SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_circular_padding.cpp
    LIBS easel_engine nlohmann_json::nlohmann_json LABELS engine golden TORCH)

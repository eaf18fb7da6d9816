easel_add_test(test_safetensors SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_safetensors.cpp LIBS easel_support LABELS engine golden)
easel_add_test(test_state_dict SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_state_dict.cpp LIBS easel_engine LABELS engine golden TORCH)
easel_add_test(test_key_maps SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_key_maps.cpp LIBS easel_engine LABELS engine golden TORCH)
easel_add_test(test_model_detect SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_model_detect.cpp LIBS easel_support nlohmann_json::nlohmann_json LABELS engine golden)
